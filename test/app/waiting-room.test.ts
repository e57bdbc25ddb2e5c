import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admissionCookieName, placeCookieName } from '../../shared/waiting-room.ts';
import { RoomTokens } from '../../app/infra/room-tokens.ts';
import { joinQueue } from '../../app/services/queue-place.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

let platform: TestPlatform;
let instances: TestInstance[];
let admin: HttpClient;

beforeAll(async () => {
  platform = await createTestPlatform();
  instances = [await platform.startInstance(), await platform.startInstance()];
  admin = new HttpClient(instances[0]!.url);
  await logIn(admin, organizer.email, organizer.password);
});
afterAll(() => platform.stop());

interface Room {
  enabled?: boolean;
  opensAt?: Date;
  admissionRatePerMinute?: number;
  maxActive?: number;
  admissionTtlSeconds?: number;
}

/** An event with a waiting room (on sale a minute ago unless `onSaleAt` says otherwise). */
async function roomEvent(room: Room = {}, onSaleAt = new Date(Date.now() - 60_000)): Promise<{ eventId: number }> {
  const response = await admin.post('/api/admin/events', {
    name: 'Famous artist',
    venue: 'Arena',
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    onSaleAt: onSaleAt.toISOString(),
    sections: [{ name: 'Floor', rows: 2, seatsPerRow: 10, priceCents: 5_000 }],
    waitingRoom: {
      enabled: room.enabled ?? true,
      opensAt: (room.opensAt ?? new Date(onSaleAt.getTime() - 60_000)).toISOString(),
      admissionRatePerMinute: room.admissionRatePerMinute ?? 6_000,
      maxActive: room.maxActive ?? 100,
      admissionTtlSeconds: room.admissionTtlSeconds ?? 60,
    },
  });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  const eventId = response.body.event.id as number;
  const detail = await admin.get(`/api/events/${eventId}`);
  expect(detail.body.event.waitingRoom).toMatchObject({ captcha: null });
  return { eventId };
}

const queue = (client: HttpClient, eventId: number) => client.get(`/api/events/${eventId}/queue`);
const join = (client: HttpClient, eventId: number) => client.post(`/api/events/${eventId}/queue`);

async function buyers(count: number, label: string) {
  return Promise.all(Array.from({ length: count }, (_, i) => newBuyer(instances[i % 2]!.url, `${label}${i}`)));
}

/** Polls until the buyer is admitted (or `status` says otherwise), returning the last answer. */
async function pollUntil(client: HttpClient, eventId: number, status: string) {
  let last = await queue(client, eventId);
  await waitUntil(`status ${status}`, async () => {
    last = await queue(client, eventId);
    return last.body.queue.status === status;
  }, 20_000, 100);
  return last;
}

describe('the waiting room gate', () => {
  it('answers 403 queue_required on the seat map, holds and purchases of a room’s event, and nothing of the sort without a room', async () => {
    const { eventId } = await roomEvent();
    const { client } = await newBuyer(instances[0]!.url, 'gated');
    const anonymous = new HttpClient(instances[1]!.url);
    for (const answer of [
      await client.get(`/api/events/${eventId}/seats`),
      await anonymous.get(`/api/events/${eventId}/seats`),
      await client.post(`/api/events/${eventId}/holds`, { seatIds: [1] }),
      await client.post(`/api/holds/${eventId}-AAAAAAAAAAAAAAAAAAAAAA/purchase`, undefined, { 'Idempotency-Key': 'k1' }),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.body.error).toMatchObject({ code: 'queue_required', details: { queueUrl: `/api/events/${eventId}/queue` } });
    }

    const plain = await createEvent(admin);
    expect((await client.get(`/api/events/${plain.eventId}/seats`)).status).toBe(200);
    expect((await client.post(`/api/events/${plain.eventId}/holds`, { seatIds: [plain.seatIds[0]] })).status).toBe(201);
    expect((await admin.get(`/api/events/${plain.eventId}`)).body.event.waitingRoom).toBeNull();
  });

  it('lets an admitted buyer see seats, hold and buy, and refuses forged, expired, other-event and other-buyer admissions', async () => {
    const { eventId } = await roomEvent();
    const other = await roomEvent();
    const [a, b] = await buyers(2, 'tokens');
    expect((await join(a!.client, eventId)).body.queue.status).toBe('admitted');
    expect((await join(a!.client, other.eventId)).body.queue.status).toBe('admitted');
    const seats = await a!.client.get(`/api/events/${eventId}/seats`);
    expect(seats.status).toBe(200);
    const seatId = seats.body.seats[0].id as number;
    const hold = await a!.client.post(`/api/events/${eventId}/holds`, { seatIds: [seatId] });
    expect(hold.status).toBe(201);
    const bought = await a!.client.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'buy-1' });
    expect(bought.status).toBe(201);

    const name = admissionCookieName(eventId);
    const genuine = a!.client.cookies.get(name)!;
    const tokens = instances[0]!.deps.rooms.tokens;
    const tries: Record<string, string> = {
      forged: genuine.slice(0, -2) + (genuine.endsWith('AA') ? 'BB' : 'AA'),
      expired: tokens.admission({ eventId, userId: a!.userId, expiresAt: Date.now() - 1, used: true }),
      'for another event': a!.client.cookies.get(admissionCookieName(other.eventId))!,
      'signed with another key': new RoomTokens(['another-key-0123456789abcdef0123456789']).admission({
        eventId, userId: a!.userId, expiresAt: Date.now() + 60_000, used: true,
      }),
    };
    for (const [what, token] of Object.entries(tries)) {
      a!.client.cookies.set(name, token);
      expect((await a!.client.get(`/api/events/${eventId}/seats`)).status, what).toBe(403);
    }
    // Another buyer showing A's genuine admission.
    b!.client.cookies.set(name, genuine);
    expect((await b!.client.get(`/api/events/${eventId}/seats`)).status).toBe(403);
    expect((await b!.client.post(`/api/events/${eventId}/holds`, { seatIds: [seats.body.seats[1].id] })).status).toBe(403);
    a!.client.cookies.set(name, genuine);
    expect((await a!.client.get(`/api/events/${eventId}/seats`)).status).toBe(200);
  });
});

describe('the queue', () => {
  it('keeps one place per account: joining again, on another instance or after logging in again, answers the same place', async () => {
    const { eventId } = await roomEvent({ maxActive: 1, admissionRatePerMinute: 60 });
    const [first, second] = await buyers(2, 'same');
    expect((await join(first!.client, eventId)).body.queue.status).toBe('admitted');
    const waiting = await join(second!.client, eventId);
    expect(waiting.body.queue).toMatchObject({ status: 'waiting', position: 1 });
    expect(waiting.headers.get('retry-after')).toBe(String(waiting.body.queue.pollAfterSeconds));
    expect(second!.client.cookies.get(placeCookieName(eventId))).toMatch(/^p\./);
    const again = new HttpClient(instances[1]!.url);
    await logIn(again, second!.email, 'correct horse battery');
    expect((await join(again, eventId)).body.queue).toMatchObject({ status: 'waiting', position: 1 });
    expect((await queue(again, eventId)).body.queue.position).toBe(1);
  });

  it('admits after the on-sale in arrival order, never more than maxActive at once; idle admissions lapse and their places go to the next', async () => {
    const { eventId } = await roomEvent({ maxActive: 3, admissionTtlSeconds: 5 });
    const line = await buyers(8, 'fifo');
    for (const buyer of line) expect((await join(buyer.client, eventId)).status).toBe(200);
    const statuses = async () => Promise.all(line.map(async (buyer) => (await queue(buyer.client, eventId)).body.queue));
    const live = async () => (await admin.get(`/api/admin/events/${eventId}/waiting-room`)).body.waitingRoom.now.admitted as number;

    let now = await statuses();
    expect(now.map((q) => q.status)).toEqual(['admitted', 'admitted', 'admitted', ...Array(5).fill('waiting')]);
    expect(now.slice(3).map((q) => q.position)).toEqual([1, 2, 3, 4, 5]);
    expect(await live()).toBe(3);

    // The first buyer holds seats (keeps the admission); the second and third do nothing and lapse.
    const seats = await line[0]!.client.get(`/api/events/${eventId}/seats`);
    expect((await line[0]!.client.post(`/api/events/${eventId}/holds`, { seatIds: [seats.body.seats[0].id] })).status).toBe(201);
    await pollUntil(line[1]!.client, eventId, 'expired');
    await pollUntil(line[4]!.client, eventId, 'admitted');
    now = await statuses();
    expect(now.map((q) => q.status)).toEqual(['admitted', 'expired', 'expired', 'admitted', 'admitted', 'waiting', 'waiting', 'waiting']);
    expect(await live()).toBeLessThanOrEqual(3);
    expect((await line[0]!.client.get(`/api/events/${eventId}/seats`)).status).toBe(200);
    expect((await line[1]!.client.get(`/api/events/${eventId}/seats`)).status).toBe(403);

    // Joining again after the turn lapsed: a new place at the back.
    expect((await join(line[1]!.client, eventId)).body.queue).toMatchObject({ status: 'waiting', position: 4 });
    const room = (await admin.get(`/api/admin/events/${eventId}/waiting-room`)).body.waitingRoom;
    expect(room.now).toMatchObject({ joined: 9, admitted: 3, waiting: 4 });
    expect(room.now.expiredTotal).toBeGreaterThanOrEqual(2);
  });

  it('draws a uniformly random order for everyone who joined before the on-sale, and keeps arrival order after it', async () => {
    const onSaleAt = new Date(Date.now() + 8_000);
    const { eventId } = await roomEvent({ opensAt: new Date(Date.now() - 1_000), maxActive: 1, admissionRatePerMinute: 1 }, onSaleAt);
    const deps = instances[0]!.deps;
    const early = 2_000;
    // The join use case itself (its random draw, the Redis script), without 2,000 logins.
    for (let from = 1; from <= early; from += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, i) => joinQueue(deps, { eventId, userId: from + i })));
    }
    const pre = await joinQueue(deps, { eventId, userId: 1 });
    expect(pre.view).toMatchObject({ status: 'waiting', position: null });
    await waitUntil('the on-sale, by Redis time', async () => {
      const [seconds] = await deps.redis.time();
      return Number(seconds) * 1000 > onSaleAt.getTime();
    }, 15_000, 100);
    for (let userId = early + 1; userId <= early + 200; userId++) await joinQueue(deps, { eventId, userId });

    const order = (await deps.redis.zrange(deps.rooms.store.keys(eventId).queue, '0', '-1')).map((member) => Number(member));
    expect(order.length).toBe(early + 200);
    const rankOfEarly = order.slice(0, early);
    expect(new Set(rankOfEarly).size).toBe(early);
    expect(Math.max(...rankOfEarly)).toBe(early);
    // Spearman's rho between join order and place: about 0 for a random draw (its spread is 1/sqrt(n) ≈ 0.022).
    const n = early;
    const sumSquares = rankOfEarly.reduce((sum, userId, place) => sum + (userId - 1 - place) ** 2, 0);
    const rho = 1 - (6 * sumSquares) / (n * (n * n - 1));
    expect(Math.abs(rho)).toBeLessThan(0.1);
    expect(order.slice(early)).toEqual(Array.from({ length: 200 }, (_, i) => early + 1 + i));
  });

  it('answers closed before the pre-queue opens and while the room is off; the organizer’s settings apply at once', async () => {
    const onSaleAt = new Date(Date.now() + 3_600_000);
    const { eventId } = await roomEvent({ opensAt: new Date(Date.now() + 1_800_000) }, onSaleAt);
    const { client } = await newBuyer(instances[1]!.url, 'closed');
    const closed = await join(client, eventId);
    expect(closed.body.queue).toMatchObject({ status: 'closed', opensAt: expect.any(String), position: null });
    expect((await client.get(`/api/events/${eventId}/seats`)).status).toBe(200);

    const put = await admin.request('PUT', `/api/admin/events/${eventId}/waiting-room`, {
      json: { enabled: true, opensAt: new Date(Date.now() - 1_000).toISOString(), admissionRatePerMinute: 100, maxActive: 10, admissionTtlSeconds: 30 },
    });
    expect(put.status).toBe(200);
    expect(put.body.waitingRoom).toMatchObject({ enabled: true, maxActive: 10, now: { waiting: 0, admitted: 0 } });
    await waitUntil('the gate on both instances', async () =>
      (await Promise.all(instances.map((i) => new HttpClient(i.url).get(`/api/events/${eventId}/seats`)))).every((r) => r.status === 403));
    expect((await join(client, eventId)).body.queue).toMatchObject({ status: 'waiting', position: null });

    const late = await admin.request('PUT', `/api/admin/events/${eventId}/waiting-room`, {
      json: { enabled: true, opensAt: new Date(onSaleAt.getTime() + 1_000).toISOString(), admissionRatePerMinute: 100, maxActive: 10, admissionTtlSeconds: 30 },
    });
    expect(late.status).toBe(400);
    expect(late.body.error.details.issues[0].path).toBe('opensAt');
  });
});
