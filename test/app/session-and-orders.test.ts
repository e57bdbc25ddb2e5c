import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

let platform: TestPlatform;
let api: TestInstance;

beforeAll(async () => {
  platform = await createTestPlatform();
  api = await platform.startInstance();
});
afterAll(() => platform.stop());

describe('GET /api/session', () => {
  it('answers 200 with the user or null, never cached, while /api/me keeps its 401', async () => {
    const visitor = new HttpClient(api.url);
    const anonymous = await visitor.get('/api/session');
    expect(anonymous.status).toBe(200);
    expect(anonymous.body).toEqual({ user: null });
    expect(anonymous.headers.get('cache-control')).toBe('no-store');
    expect(visitor.lastSetCookie, 'asking does not start a session').toEqual([]);
    expect((await visitor.get('/api/me')).status).toBe(401);

    const { client, userId, email } = await newBuyer(api.url, 'session');
    const known = await client.get('/api/session');
    expect(known.status).toBe(200);
    expect(known.body).toEqual({ user: { id: userId, email, name: 'session', role: 'buyer' } });
    expect(known.headers.get('cache-control')).toBe('no-store');

    expect((await client.post('/api/auth/logout')).status).toBe(204);
    expect((await client.get('/api/session')).body).toEqual({ user: null });
  });
});

describe('GET /api/orders', () => {
  it('lists the newest order first', async () => {
    const organizerClient = new HttpClient(api.url);
    await logIn(organizerClient, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client } = await newBuyer(api.url, 'collector');
    const buy = async (seats: number[], key: string) => {
      const hold = await client.post(`/api/events/${eventId}/holds`, { seatIds: seats });
      const order = await client.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': key });
      expect(order.status).toBe(201);
      return order.body.order.id as number;
    };
    const first = await buy([seatIds[1]!, seatIds[0]!], 'first');
    const second = await buy([seatIds[2]!], 'second');

    const orders = (await client.get('/api/orders')).body.orders as { id: number; tickets: { seatId: number }[] }[];
    expect(orders.map((order) => order.id)).toEqual([second, first]);
    expect(orders[1]!.tickets.map((ticket) => ticket.seatId).sort()).toEqual([seatIds[0], seatIds[1]].sort());
  });
});
