import type { RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

let platform: TestPlatform;
let instances: TestInstance[];
let organizerClient: HttpClient;

beforeAll(async () => {
  platform = await createTestPlatform({ MAX_SEATS_PER_USER: '50' });
  instances = [await platform.startInstance(), await platform.startInstance()];
  organizerClient = new HttpClient(instances[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
});
afterAll(() => platform.stop());

async function query<T = RowDataPacket>(sql: string, values: unknown[] = []): Promise<T[]> {
  const [rows] = await instances[0]!.deps.db.query<RowDataPacket[]>(sql, values);
  return rows as T[];
}

async function hold(client: HttpClient, eventId: number, seatIds: number[]): Promise<string> {
  const response = await client.post(`/api/events/${eventId}/holds`, { seatIds });
  expect(response.status).toBe(201);
  return response.body.hold.id;
}

const purchase = (client: HttpClient, holdId: string, key?: string) =>
  client.post(`/api/holds/${holdId}/purchase`, undefined, key === undefined ? {} : { 'Idempotency-Key': key });

describe('purchases', () => {
  it('commits the order and its tickets before answering 201, and lists them for the buyer only', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient, [{ name: 'A', rows: 1, seatsPerRow: 10, priceCents: 4_250 }]);
    const { client, userId } = await newBuyer(instances[0]!.url);
    const holdId = await hold(client, eventId, seatIds.slice(0, 3));
    const response = await purchase(client, holdId, 'order-1');
    expect(response.status).toBe(201);
    const { order } = response.body;
    expect(order).toMatchObject({ eventId, totalCents: 12_750 });
    expect(order.tickets.map((t: { seatId: number }) => t.seatId)).toEqual(seatIds.slice(0, 3));

    const [row] = await query('SELECT user_id, total_cents, hold_id FROM orders WHERE id = ?', [order.id]);
    expect(row).toMatchObject({ user_id: userId, total_cents: 12_750, hold_id: holdId });
    const tickets = await query('SELECT id, seat_id FROM tickets WHERE order_id = ? ORDER BY id', [order.id]);
    expect(tickets.map((t) => ({ id: t.id, seatId: t.seat_id }))).toEqual(order.tickets);

    expect((await client.get('/api/orders')).body.orders).toEqual([order]);
    expect((await client.get(`/api/orders/${order.id}`)).body.order).toEqual(order);
    const stranger = await newBuyer(instances[1]!.url);
    expect((await stranger.client.get(`/api/orders/${order.id}`)).status).toBe(404);
    expect((await stranger.client.get('/api/orders')).body.orders).toEqual([]);

    const map = await client.get(`/api/events/${eventId}/seats`);
    const sold = map.body.seats.filter((s: { status: string }) => s.status === 'sold').map((s: { id: number }) => s.id);
    expect(sold).toEqual(seatIds.slice(0, 3));
    expect((await client.get(`/api/holds/${holdId}`)).body.hold).toMatchObject({ status: 'purchased', orderId: order.id });
  });

  it('replays the same order for the same Idempotency-Key, on any instance, and refuses the key for another hold', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client } = await newBuyer(instances[0]!.url);
    const holdId = await hold(client, eventId, seatIds.slice(0, 2));
    const first = await purchase(client, holdId, 'same-key');
    client.baseUrl = instances[1]!.url;
    const replay = await purchase(client, holdId, 'same-key');
    expect(replay.status).toBe(201);
    expect(replay.body.order).toEqual(first.body.order);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');

    const otherHold = await hold(client, eventId, seatIds.slice(2, 3));
    const reused = await purchase(client, otherHold, 'same-key');
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    const anotherKey = await purchase(client, holdId, 'another-key');
    expect(anotherKey.status).toBe(409);
    expect(anotherKey.body.error.code).toBe('hold_purchased');
    expect(await query('SELECT id FROM orders WHERE hold_id = ?', [holdId])).toHaveLength(1);
  });

  it('creates exactly one order when the same purchase is sent many times at once to both instances', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client } = await newBuyer(instances[0]!.url);
    const holdId = await hold(client, eventId, seatIds.slice(0, 4));
    const cookies = [...client.cookies];
    const attempts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => {
        const twin = new HttpClient(instances[i % 2]!.url);
        for (const [name, value] of cookies) twin.cookies.set(name, value);
        return purchase(twin, holdId, 'double-click');
      }),
    );
    const created = attempts.filter((a) => a.status === 201);
    expect(created.length).toBeGreaterThan(0);
    for (const attempt of attempts) {
      if (attempt.status !== 201) expect(attempt.body.error.code).toBe('request_in_progress');
    }
    expect(new Set(created.map((a) => a.body.order.id)).size).toBe(1);
    expect(await query('SELECT id FROM orders WHERE hold_id = ?', [holdId])).toHaveLength(1);
    expect(await query('SELECT id FROM tickets WHERE seat_id IN (?)', [seatIds.slice(0, 4)])).toHaveLength(4);
  });

  it('requires an Idempotency-Key and answers 404 for holds it never issued or that belong to someone else', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client } = await newBuyer(instances[0]!.url);
    const holdId = await hold(client, eventId, seatIds.slice(0, 1));
    expect((await purchase(client, holdId)).body.error.code).toBe('idempotency_key_required');
    expect((await purchase(client, holdId, ' ')).body.error.code).toBe('idempotency_key_required');
    expect((await purchase(client, holdId, 'x'.repeat(256))).status).toBe(400);
    expect((await purchase(client, `${eventId}-AAAAAAAAAAAAAAAAAAAAAA`, 'k')).status).toBe(404);
    expect((await purchase(client, 'not-a-hold', 'k')).status).toBe(404);
    const stranger = await newBuyer(instances[0]!.url);
    expect((await purchase(stranger.client, holdId, 'k')).status).toBe(404);
    const released = await hold(client, eventId, seatIds.slice(1, 2));
    await client.request('DELETE', `/api/holds/${released}`);
    expect((await purchase(client, released, 'k2')).body.error.code).toBe('hold_expired');
  });
});

describe('the ledger', () => {
  it('refuses a second ticket for a seat at the database level', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client, userId } = await newBuyer(instances[0]!.url);
    const order = (await purchase(client, await hold(client, eventId, seatIds.slice(0, 1)), 'k')).body.order;
    await expect(
      instances[0]!.deps.db.query('INSERT INTO tickets (order_id, seat_id) VALUES (?, ?)', [order.id, seatIds[0]]),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
    await expect(
      instances[0]!.deps.db.query(
        "INSERT INTO orders (user_id, event_id, total_cents, hold_id, idempotency_key) VALUES (?, ?, 0, 'other-hold', 'k')",
        [userId, eventId],
      ),
    ).rejects.toMatchObject({ code: 'ER_DUP_ENTRY' });
  });

  it('rebuilds sold seats from MySQL after Redis forgets everything, before granting any hold', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const buyer = await newBuyer(instances[0]!.url);
    const order = (await purchase(buyer.client, await hold(buyer.client, eventId, seatIds.slice(0, 5)), 'k')).body.order;
    expect(order.tickets).toHaveLength(5);

    await platform.forgetRedis();

    // Sessions lived in Redis too: everyone logs in again.
    expect((await buyer.client.get('/api/me')).status).toBe(401);
    await logIn(organizerClient, organizer.email, organizer.password);
    const rivals = await Promise.all(Array.from({ length: 8 }, (_, i) => newBuyer(instances[i % 2]!.url)));
    const attempts = await Promise.all(
      rivals.map((rival) => rival.client.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 6) })),
    );
    for (const attempt of attempts) {
      expect(attempt.status).toBe(409);
      expect(attempt.body.error.details.seatIds).toEqual(expect.arrayContaining(seatIds.slice(0, 5)));
    }
    const map = await rivals[0]!.client.get(`/api/events/${eventId}/seats`);
    const sold = map.body.seats.filter((s: { status: string }) => s.status === 'sold').map((s: { id: number }) => s.id);
    expect(sold).toEqual(seatIds.slice(0, 5));
    // The sixth seat is free: one rival gets it, and the ledger still holds exactly one ticket per seat.
    const sixth = await rivals[0]!.client.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[5]] });
    expect(sixth.status).toBe(201);
    expect((await purchase(rivals[0]!.client, sixth.body.hold.id, 'k6')).status).toBe(201);
    const counts = await query('SELECT seat_id, COUNT(*) AS n FROM tickets WHERE seat_id IN (?) GROUP BY seat_id', [seatIds.slice(0, 6)]);
    expect(counts).toHaveLength(6);
    expect(counts.every((row) => Number(row.n) === 1)).toBe(true);
  });

  it('keeps the ledger right when Redis wrongly shows a sold seat as free', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const buyer = await newBuyer(instances[0]!.url);
    await purchase(buyer.client, await hold(buyer.client, eventId, seatIds.slice(0, 2)), 'k');
    // Lose only the sold marks (as a failover that dropped recent writes would), keeping the "loaded" marker.
    await instances[0]!.deps.redis.hdel(`${platform.keyPrefix}{e${eventId}}:seats`, String(seatIds[0]), String(seatIds[1]));

    const rival = await newBuyer(instances[1]!.url);
    const wrongHold = await hold(rival.client, eventId, seatIds.slice(0, 3));
    const refused = await purchase(rival.client, wrongHold, 'k');
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('seats_unavailable');
    expect(refused.body.error.details.seatIds.sort()).toEqual(seatIds.slice(0, 2).sort());
    const counts = await query('SELECT COUNT(*) AS n FROM tickets WHERE seat_id IN (?)', [seatIds.slice(0, 3)]);
    expect(Number(counts[0]!.n)).toBe(2);
    // Redis learned from the ledger: the seats show sold again, and the rival's third seat is free.
    const map = await rival.client.get(`/api/events/${eventId}/seats`);
    const status = (id: number) => map.body.seats.find((s: { id: number }) => s.id === id).status;
    expect([status(seatIds[0]!), status(seatIds[1]!), status(seatIds[2]!)]).toEqual(['sold', 'sold', 'available']);
  });
});
