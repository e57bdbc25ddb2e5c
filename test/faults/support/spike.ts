import { randomUUID } from 'node:crypto';
import { onsaleScenario } from '../../load/scenario.ts';
import { chooseSeats, seatsWanted, type SeatKnowledge } from '../../load/seat-choice.ts';
import type { Answer, Buyer } from './buyers.ts';

export type Step = 'hold' | 'purchase' | 'seats' | 'login';

export interface Recorded extends Answer {
  step: Step;
  /** When the request was sent (ms since the epoch). */
  sentAt: number;
}

/** A purchase the client saw answered 201: it must be in the ledger, exactly once. */
export interface Sale {
  userId: number;
  holdId: string;
  idempotencyKey: string;
  orderId: number;
  seatIds: number[];
  /** How many attempts with this key it took (more than one: the client retried after a failure). */
  attempts: number;
}

export interface GrantedHold {
  userId: number;
  holdId: string;
  seatIds: number[];
  grantedAt: number;
  abandoned: boolean;
}

export interface SpikeOptions {
  buyers: Buyer[];
  eventId: number;
  /** Every seat of the event in seat-map order. */
  seatIds: number[];
  /** The instances a client may use now; a buyer starts on its own and moves to the next after a failure. */
  instances: () => string[];
  /** No new request is started after this time (ms since the epoch). */
  deadline: number;
  /** Share of granted holds the buyer walks away from (left to expire). @default 0 */
  abandonShare?: number;
  /** Called after every answer, e.g. to trigger the fault when the spike is under way. */
  onAnswer?: (answer: Recorded) => void;
}

export interface SpikeResult {
  answers: Recorded[];
  sales: Sale[];
  holds: GrantedHold[];
}

/** How long a client waits before retrying after a 503 or a dropped connection: a client's back-off, not a test sleep. */
const backOffMs = 50;
const backOff = () => new Promise((resolve) => setTimeout(resolve, backOffMs));

/**
 * The on-sale spike in a test: every buyer at once browses, holds seats as the shared scenario picks them
 * (front-row rush first), tries other seats after a 409 and buys with an Idempotency-Key, retrying the
 * same key on another instance after a 503 or a dropped connection, until it has its seats, hits the
 * per-buyer cap, sees the show sold out, or the deadline passes.
 */
export async function runSpike(options: SpikeOptions): Promise<SpikeResult> {
  const result: SpikeResult = { answers: [], sales: [], holds: [] };
  const past = () => Date.now() > options.deadline;

  const buyerLoop = async (buyer: Buyer, index: number) => {
    let failures = 0;
    const url = () => {
      const urls = options.instances();
      return urls[(index + failures) % urls.length]!;
    };
    const send = async (step: Step, method: string, path: string, init: { json?: unknown; headers?: Record<string, string> } = {}) => {
      const sentAt = Date.now();
      const answer = await buyer.send(url(), method, path, init);
      const recorded = { ...answer, step, sentAt };
      result.answers.push(recorded);
      options.onAnswer?.(recorded);
      if (answer.status === 0 || answer.status >= 500) failures++;
      if (answer.status === 401) await buyer.logIn(url()); // Redis lost the sessions: log in again
      return recorded;
    };

    const count = seatsWanted(onsaleScenario, Math.random);
    while (!past()) {
      // One visit, as in the k6 script: look at the seat map, then up to maxHoldAttempts holds.
      const map = await send('seats', 'GET', `/api/events/${options.eventId}/seats`);
      if (map.status !== 200) {
        await backOff();
        continue;
      }
      const seats = map.body.seats as { id: number; status: string }[];
      const knowledge: SeatKnowledge = {
        seatIds: options.seatIds,
        taken: new Set(seats.filter((seat) => seat.status !== 'available').map((seat) => seat.id)),
      };
      if (seats.length - knowledge.taken.size < count) {
        if (!seats.some((seat) => seat.status === 'held')) return; // sold out for this buyer
        await backOff(); // only held seats left: some holds will expire
        continue;
      }
      for (let attempt = 1; attempt <= onsaleScenario.buyer.maxHoldAttempts && !past(); attempt++) {
        const seatIds = chooseSeats(onsaleScenario, knowledge, { count, attempt, random: Math.random });
        if (seatIds.length === 0) break;
        const hold = await send('hold', 'POST', `/api/events/${options.eventId}/holds`, { json: { seatIds } });
        if (hold.status === 201) {
          const abandoned = Math.random() < (options.abandonShare ?? 0);
          result.holds.push({ userId: buyer.userId, holdId: hold.body.hold.id, seatIds, grantedAt: hold.sentAt, abandoned });
          if (!abandoned) await purchase(buyer, hold.body.hold.id as string, send);
          break;
        }
        if (hold.code === 'seats_unavailable') for (const id of hold.body.error.details.seatIds as number[]) knowledge.taken.add(id);
        else if (hold.code === 'seat_limit_exceeded') return;
        else if (hold.status === 0 || hold.status === 503) await backOff();
      }
    }
  };

  const purchase = async (buyer: Buyer, holdId: string, send: (step: Step, method: string, path: string, init?: { headers?: Record<string, string> }) => Promise<Recorded>) => {
    const idempotencyKey = randomUUID();
    for (let attempts = 1; !past(); attempts++) {
      const answer = await send('purchase', 'POST', `/api/holds/${holdId}/purchase`, { headers: { 'Idempotency-Key': idempotencyKey } });
      if (answer.status === 201) {
        const order = answer.body.order as { id: number; tickets: { seatId: number }[] };
        const seatIds = order.tickets.map((ticket) => ticket.seatId);
        result.sales.push({ userId: buyer.userId, holdId, idempotencyKey, orderId: order.id, seatIds, attempts });
        return;
      }
      const retry = answer.status === 0 || answer.status === 503 || answer.status === 401 || answer.code === 'request_in_progress';
      if (!retry) return;
      await backOff();
    }
  };

  await Promise.all(options.buyers.map((buyer, index) => buyerLoop(buyer, index)));
  return result;
}
