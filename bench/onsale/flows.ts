import { randomUUID } from 'node:crypto';
import { onsaleScenario as scenario } from '../../test/load/scenario.ts';
import { chooseSeats, seatsWanted, type SeatKnowledge } from '../../test/load/seat-choice.ts';
import type { Sale } from '../../test/faults/support/spike.ts';
import type { Send } from './load.ts';
import type { BenchBuyer } from './platform.ts';

type User = (vu: { index: number; send: Send; running: () => boolean; stop: () => void }) => Promise<void>;

/** How a buyer proves who it is: the API's session cookie, or the monolith's in-RAM session (a header). */
export type Identify = (buyer: BenchBuyer) => Record<string, string>;
export const bySessionCookie: Identify = (buyer) => ({ cookie: buyer.cookie });
export const byUserIdHeader: Identify = (buyer) => ({ 'x-user-id': String(buyer.userId) });

/**
 * The front-row rush, holds only: every virtual user is a stream of buyers who each hold 1-4 seats as the
 * shared scenario picks them, trying other seats after a 409 (stale knowledge, no seat-map reloads), and
 * keep what they got. The same stream drives the Redis gate and the MySQL-lock baseline.
 */
export function holdRush(options: { eventId: number; seatIds: number[]; buyers: BenchBuyer[]; connections: number; identify: Identify }): User {
  return async ({ index, send, running }) => {
    const knowledge: SeatKnowledge = { seatIds: options.seatIds, taken: new Set() };
    for (let next = index; running(); next += options.connections) {
      const buyer = options.buyers[next % options.buyers.length]!;
      const count = seatsWanted(scenario, Math.random);
      for (let attempt = 1; attempt <= scenario.buyer.maxHoldAttempts && running(); attempt++) {
        let seatIds = chooseSeats(scenario, knowledge, { count, attempt, random: Math.random });
        if (seatIds.length === 0) {
          knowledge.taken.clear(); // believes everything is gone: looks again with fresh eyes
          seatIds = chooseSeats(scenario, knowledge, { count, attempt, random: Math.random });
        }
        const reply = await send('hold', {
          method: 'POST',
          path: `/api/events/${options.eventId}/holds`,
          json: { seatIds },
          headers: options.identify(buyer),
        });
        if (reply.status === 201) break;
        if (reply.code !== 'seats_unavailable') break;
        for (const id of reply.body.error.details.seatIds as number[]) knowledge.taken.add(id);
      }
    }
  };
}

/**
 * The whole visit, as the k6 script does it: load the seat map, hold (front-row rush, retries after 409),
 * then buy with an Idempotency-Key (one retry with the same key after a 503 or a dropped connection) or
 * walk away. Ends the phase when a buyer sees the show sold out. Purchases answered 201 go into `sales`.
 */
export function onsaleVisit(options: { eventId: number; buyers: BenchBuyer[]; connections: number; sales: Sale[] }): User {
  return async ({ index, send, running, stop }) => {
    for (let next = index; running(); next += options.connections) {
      const buyer = options.buyers[next % options.buyers.length]!;
      const headers = bySessionCookie(buyer);
      const map = await send('seats', { method: 'GET', path: `/api/events/${options.eventId}/seats`, headers });
      if (map.status !== 200) continue;
      const seats = map.body.seats as { id: number; status: string }[];
      const knowledge: SeatKnowledge = {
        seatIds: seats.map((seat) => seat.id),
        taken: new Set(seats.filter((seat) => seat.status !== 'available').map((seat) => seat.id)),
      };
      if (seats.every((seat) => seat.status === 'sold')) return stop();
      const count = seatsWanted(scenario, Math.random);
      let hold: { id: string; seatIds: number[] } | undefined;
      for (let attempt = 1; attempt <= scenario.buyer.maxHoldAttempts && running() && !hold; attempt++) {
        const seatIds = chooseSeats(scenario, knowledge, { count, attempt, random: Math.random });
        if (seatIds.length === 0) break;
        const reply = await send('hold', { method: 'POST', path: `/api/events/${options.eventId}/holds`, json: { seatIds }, headers });
        if (reply.status === 201) hold = reply.body.hold;
        else if (reply.code === 'seats_unavailable') for (const id of reply.body.error.details.seatIds as number[]) knowledge.taken.add(id);
        else break;
      }
      if (!hold) continue;
      if (Math.random() < scenario.buyer.abandonShare) {
        await send('release', { method: 'DELETE', path: `/api/holds/${hold.id}`, headers });
        continue;
      }
      const idempotencyKey = randomUUID();
      const purchase = () => send('purchase', {
        method: 'POST',
        path: `/api/holds/${hold.id}/purchase`,
        headers: { ...headers, 'idempotency-key': idempotencyKey },
      });
      let reply = await purchase();
      if (reply.status === 0 || reply.status === 503) reply = await purchase();
      if (reply.status === 201) {
        const order = reply.body.order as { id: number; tickets: { seatId: number }[] };
        options.sales.push({
          userId: buyer.userId, holdId: hold.id, idempotencyKey, orderId: order.id,
          seatIds: order.tickets.map((ticket) => ticket.seatId), attempts: 1,
        });
      }
    }
  };
}

/**
 * Browsing around a purchase, the reads a read replica can take: the events list and the event, the
 * seat map, a hold and its purchase, then the buyer's order history (which waits for their own purchase).
 */
export function browseAndBuy(options: { eventId: number; buyers: BenchBuyer[]; connections: number }): User {
  return async ({ index, send, running }) => {
    for (let next = index; running(); next += options.connections) {
      const buyer = options.buyers[next % options.buyers.length]!;
      const headers = bySessionCookie(buyer);
      await send('events', { method: 'GET', path: '/api/events', headers });
      await send('event', { method: 'GET', path: `/api/events/${options.eventId}`, headers });
      const map = await send('seats', { method: 'GET', path: `/api/events/${options.eventId}/seats`, headers });
      const free = (map.body?.seats as { id: number; status: string }[] | undefined)?.filter((seat) => seat.status === 'available') ?? [];
      if (free.length > 0) {
        const seat = free[Math.floor(Math.random() * free.length)]!;
        const hold = await send('hold', { method: 'POST', path: `/api/events/${options.eventId}/holds`, json: { seatIds: [seat.id] }, headers });
        if (hold.status === 201) {
          await send('purchase', { method: 'POST', path: `/api/holds/${hold.body.hold.id}/purchase`, headers: { ...headers, 'idempotency-key': randomUUID() } });
        }
      }
      await send('orders', { method: 'GET', path: '/api/orders', headers });
    }
  };
}
