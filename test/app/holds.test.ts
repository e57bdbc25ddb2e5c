import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

let platform: TestPlatform;
let instances: TestInstance[];
let organizerClient: HttpClient;

beforeAll(async () => {
  platform = await createTestPlatform({ MAX_SEATS_PER_USER: '6', HOLD_TTL_SECONDS: '600' });
  instances = [await platform.startInstance(), await platform.startInstance()];
  organizerClient = new HttpClient(instances[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
});
afterAll(() => platform.stop());

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
function random(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

describe('seat holds', () => {
  it('never puts a seat in two live holds, and never grants part of a request (hundreds of racing requests)', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient, [{ name: 'Front', rows: 2, seatsPerRow: 20, priceCents: 9_900 }]);
    const buyers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => newBuyer(instances[i % 2]!.url, `racer${i}`)),
    );
    const next = random(42);
    // Each buyer asks several times for 1-4 adjacent seats from a small front block: heavy overlap.
    const requests = buyers.flatMap((buyer) =>
      Array.from({ length: 5 }, () => {
        const count = 1 + Math.floor(next() * 4);
        const start = Math.floor(next() * (seatIds.length - count));
        return { buyer, seats: seatIds.slice(start, start + count) };
      }),
    );
    const answers = await Promise.all(
      requests.map(async ({ buyer, seats }) => ({
        seats,
        response: await buyer.client.post(`/api/events/${eventId}/holds`, { seatIds: seats }),
      })),
    );

    const holder = new Map<number, string>();
    let granted = 0;
    for (const { seats, response } of answers) {
      if (response.status === 201) {
        granted++;
        expect(response.body.hold.seatIds).toEqual(seats);
        for (const seat of seats) {
          expect(holder.has(seat), `seat ${seat} held twice`).toBe(false);
          holder.set(seat, response.body.hold.id);
        }
      } else {
        expect(response.status).toBe(409);
        expect(['seats_unavailable', 'seat_limit_exceeded']).toContain(response.body.error.code);
        if (response.body.error.code === 'seats_unavailable') {
          const taken: number[] = response.body.error.details.seatIds;
          expect(taken.length).toBeGreaterThan(0);
          for (const seat of taken) expect(seats).toContain(seat);
        }
      }
    }
    expect(requests.length).toBe(300);
    expect(granted).toBeGreaterThan(5);

    // The seat map agrees: exactly the granted seats are held.
    const map = await organizerClient.get(`/api/events/${eventId}/seats`);
    const held = map.body.seats.filter((seat: { status: string }) => seat.status === 'held').map((seat: { id: number }) => seat.id);
    expect(held.sort((a: number, b: number) => a - b)).toEqual([...holder.keys()].sort((a, b) => a - b));
    const event = await organizerClient.get(`/api/events/${eventId}`);
    expect(event.body.event.seatsAvailable).toBe(seatIds.length - holder.size);
  });

  it('answers a hold with its seats and expiry, lets the owner read and release it, and hides it from others', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const owner = await newBuyer(instances[0]!.url);
    const stranger = await newBuyer(instances[1]!.url);
    const created = await owner.client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    expect(created.status).toBe(201);
    const { hold } = created.body;
    expect(hold).toEqual({ id: expect.any(String), eventId, seatIds: seatIds.slice(0, 2), expiresAt: expect.any(String) });
    expect(Date.parse(hold.expiresAt) - Date.now()).toBeGreaterThan(590_000);

    expect((await owner.client.get(`/api/holds/${hold.id}`)).body.hold.status).toBe('active');
    expect((await stranger.client.get(`/api/holds/${hold.id}`)).status).toBe(404);
    expect((await stranger.client.request('DELETE', `/api/holds/${hold.id}`)).status).toBe(404);
    const taken = await stranger.client.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[1], seatIds[2]] });
    expect(taken.status).toBe(409);
    expect(taken.body.error).toMatchObject({ code: 'seats_unavailable', details: { seatIds: [seatIds[1]] } });

    expect((await owner.client.request('DELETE', `/api/holds/${hold.id}`)).status).toBe(204);
    expect((await owner.client.get(`/api/holds/${hold.id}`)).body.hold.status).toBe('released');
    const retaken = await stranger.client.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[1], seatIds[2]] });
    expect(retaken.status).toBe(201);
  });

  it('refuses seats of another event, events not yet on sale, and unknown events', async () => {
    const first = await createEvent(organizerClient);
    const second = await createEvent(organizerClient);
    const later = await createEvent(organizerClient, undefined, new Date(Date.now() + 3_600_000));
    const { client } = await newBuyer(instances[0]!.url);
    const foreign = await client.post(`/api/events/${first.eventId}/holds`, { seatIds: [first.seatIds[0], second.seatIds[0]] });
    expect(foreign.status).toBe(400);
    expect(foreign.body.error).toMatchObject({ code: 'unknown_seats', details: { seatIds: [second.seatIds[0]] } });
    const early = await client.post(`/api/events/${later.eventId}/holds`, { seatIds: [later.seatIds[0]] });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('not_on_sale');
    expect((await client.post('/api/events/999999/holds', { seatIds: [1] })).status).toBe(404);
    // Nothing was held by the refused requests.
    const map = await client.get(`/api/events/${first.eventId}/seats`);
    expect(map.body.seats.every((seat: { status: string }) => seat.status === 'available')).toBe(true);
  });

  it('caps held plus bought seats per buyer and event at MAX_SEATS_PER_USER', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client } = await newBuyer(instances[0]!.url);
    const first = await client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 4) });
    expect(first.status).toBe(201);
    const tooMany = await client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(4, 7) });
    expect(tooMany.status).toBe(409);
    expect(tooMany.body.error).toMatchObject({ code: 'seat_limit_exceeded', details: { limit: 6, alreadyHeldOrBought: 4 } });

    const bought = await client.post(`/api/holds/${first.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'cap-1' });
    expect(bought.status).toBe(201);
    expect((await client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(4, 7) })).body.error.code).toBe('seat_limit_exceeded');
    expect((await client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(4, 6) })).status).toBe(201);
    // The cap is per event: another event starts from zero.
    const other = await createEvent(organizerClient);
    expect((await client.post(`/api/events/${other.eventId}/holds`, { seatIds: other.seatIds.slice(0, 6) })).status).toBe(201);
  });
});

describe('hold expiry', () => {
  it('frees the seats of an expired hold the moment it expires, for anyone to hold and buy, and refuses its purchase with 410', async () => {
    const fast = await createTestPlatform({ HOLD_TTL_SECONDS: '1' });
    try {
      const api = await fast.startInstance();
      const admin = new HttpClient(api.url);
      await logIn(admin, organizer.email, organizer.password);
      const { eventId, seatIds } = await createEvent(admin);
      const first = await newBuyer(api.url);
      const second = await newBuyer(api.url);
      const hold = (await first.client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 3) })).body.hold;
      const expiresAt = Date.parse(hold.expiresAt);

      // No sweeper to wait for: expiry is judged against the clock when a request reads the seats, so the
      // first map asked for once expiresAt has passed shows them free, however busy the machine is.
      const heldSeatStates = async () => {
        const map = await second.client.get(`/api/events/${eventId}/seats`);
        return map.body.seats.filter((seat: { id: number }) => seatIds.slice(0, 3).includes(seat.id)).map((seat: { status: string }) => seat.status);
      };
      await waitUntil('the hold to pass its expiresAt', () => Date.now() > expiresAt, 10_000, 20);
      expect(await heldSeatStates()).toEqual(['available', 'available', 'available']);

      const late = await first.client.post(`/api/holds/${hold.id}/purchase`, undefined, { 'Idempotency-Key': 'late-1' });
      expect(late.status).toBe(410);
      expect(late.body.error.code).toBe('hold_expired');
      expect((await first.client.get(`/api/holds/${hold.id}`)).body.hold.status).toBe('expired');

      const resold = await second.client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 3) });
      expect(resold.status).toBe(201);
      const order = await second.client.post(`/api/holds/${resold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'resold-1' });
      expect(order.status).toBe(201);
      const [rows] = await api.deps.db.query('SELECT COUNT(*) AS n FROM tickets WHERE seat_id IN (?)', [seatIds.slice(0, 3)]);
      expect(Number((rows as { n: number }[])[0]!.n)).toBe(3);
    } finally {
      await fast.stop();
    }
  });
});
