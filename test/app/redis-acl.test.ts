import { randomBytes, randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAclRules } from '../../shared/redis-acl.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, createEventWithOpenRoom, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { testRedisMode, testRedisNodeUrls } from '../support/redis-mode.ts';
import { waitUntil } from '../support/wait.ts';

const user = `tk-api-${randomBytes(3).toString('hex')}`;
const password = randomBytes(16).toString('hex');

let platform: TestPlatform;
let api: TestInstance;
/**
 * This run's Redis as its default (administrator) user: the shared Redis, or (the redis-cluster project)
 * each node of the test file's cluster, since ACL users, ACL LOG and KEYS are per node.
 */
let admins: Redis[];

/** ACL LOG entries about our user: every command or key it was refused, and every failed AUTH. */
async function aclLog(): Promise<{ reason: string; object: string }[]> {
  const entries = (await Promise.all(admins.map((admin) => admin.call('ACL', 'LOG', '1000')))).flat() as unknown[][];
  return entries
    .map((entry) => Object.fromEntries(Array.from({ length: entry.length / 2 }, (_, i) => [entry[2 * i], entry[2 * i + 1]])) as Record<string, string>)
    .filter((entry) => entry.username === user)
    .map((entry) => ({ reason: entry.reason!, object: entry.object! }));
}

beforeAll(async () => {
  platform = await createTestPlatform();
  admins = (await testRedisNodeUrls()).map((url) => new Redis(url));
  // Exactly the rules the CDK gives the ElastiCache user, on a user of this test's own.
  for (const admin of admins) await admin.call('ACL', 'SETUSER', user, 'reset', `>${password}`, ...apiAclRules(platform.keyPrefix).split(' '));
  const url = new URL(platform.env.REDIS_URL);
  url.username = user;
  url.password = password;
  api = await platform.startInstance({
    REDIS_URL: url.href,
    // Every Redis-backed limit on, so their commands run too.
    HOLD_RATE_LIMIT_PER_USER: '1000',
    HOLD_RATE_LIMIT_PER_IP: '1000',
    LOGIN_RATE_LIMIT_PER_IP: '1000',
    REGISTER_RATE_LIMIT_PER_IP: '1000',
    LOGIN_THROTTLE_FAILURES: '3',
  });
});
afterAll(async () => {
  // A cluster is the test file's own and goes with the platform; the shared Redis keeps no user of ours.
  if (testRedisMode === 'cluster') for (const admin of admins ?? []) admin.disconnect();
  await platform?.stop();
  if (testRedisMode === 'single') for (const admin of admins ?? []) {
    await admin.call('ACL', 'DELUSER', user);
    admin.disconnect();
  }
});

describe('the API as a Redis user limited to its key prefix and its commands', () => {
  it('runs every flow (sessions, registration, login throttle, holds, purchases, inventory rebuild, rate limits, the waiting room) with nothing refused', async () => {
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const clients = (await Promise.all(admins.map((admin) => admin.call('CLIENT', 'LIST')))).join('\n').split('\n').filter((line) => line.includes(` user=${user} `));
    expect(clients.length, 'the instance is connected as the ACL user').toBeGreaterThan(0);
    const { client: buyer } = await newBuyer(api.url, 'acl');
    expect((await buyer.get('/api/me')).status).toBe(200);

    // Failed logins: the per-IP attempt limit refunds, the per-account throttle counts and then blocks.
    const { email } = await newBuyer(api.url, 'acl-victim');
    const guesser = new HttpClient(api.url);
    const guesses = [];
    for (let i = 0; i < 4; i++) guesses.push((await guesser.post('/api/auth/login', { email, password: 'wrong password 1' })).body.error.code);
    expect(guesses).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'login_throttled']);

    const organizerClient = new HttpClient(api.url);
    await logIn(organizerClient, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(organizerClient);
    const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    expect(hold.status).toBe(201);
    expect((await buyer.get(`/api/holds/${hold.body.hold.id}`)).status).toBe(200);
    expect((await buyer.request('DELETE', `/api/holds/${hold.body.hold.id}`)).status).toBe(204);
    const again = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    const key = randomUUID();
    const bought = await buyer.post(`/api/holds/${again.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': key });
    expect(bought.status).toBe(201);
    const replayed = await buyer.post(`/api/holds/${again.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': key });
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect((await buyer.get('/api/orders')).body.orders).toHaveLength(1);

    // Redis forgets everything of this platform: the next seat map rebuilds the sold seats from MySQL.
    for (const admin of admins) {
      const keys = await admin.keys(`${platform.keyPrefix}*`);
      // One key per DEL: on a cluster node, keys of several slots cannot go in one.
      for (const key of keys.filter((name) => !name.includes(':sess:'))) await admin.del(key);
    }
    const seats = (await buyer.get(`/api/events/${eventId}/seats`)).body.seats as { id: number; status: string }[];
    expect(seats.filter((seat) => seat.status === 'sold').map((seat) => seat.id)).toEqual(seatIds.slice(0, 2));
    expect((await buyer.get('/api/events')).status).toBe(200);

    // A rate limit that refuses: a second instance whose buyers may hold once a minute.
    const strict = await platform.startInstance({ REDIS_URL: api.config.REDIS_URL, HOLD_RATE_LIMIT_PER_USER: '1' });
    buyer.baseUrl = strict.url;
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[5]!] })).status).toBe(201);
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[6]!] })).body.error.code).toBe('rate_limited');

    // The waiting room: an event behind one, a place in its queue, an admission, a hold with it.
    await logIn(organizerClient, organizer.email, organizer.password);
    const roomId = await createEventWithOpenRoom(organizerClient);
    buyer.baseUrl = api.url;
    expect((await buyer.post(`/api/events/${roomId}/queue`)).status).toBe(200);
    await waitUntil('the buyer admitted', async () => (await buyer.get(`/api/events/${roomId}/queue`)).body.queue.status === 'admitted', 20_000, 100);
    const roomSeats = (await buyer.get(`/api/events/${roomId}/seats`)).body.seats as { id: number }[];
    expect((await buyer.post(`/api/events/${roomId}/holds`, { seatIds: [roomSeats[0]!.id] })).status).toBe(201);
    // The room publisher's lease and the list of rooms it publishes.
    expect(await api.deps.rooms.store.lead('acl-test', 1_000)).toBe(true);
    expect(await api.deps.rooms.store.rooms()).toContain(roomId);
    expect((await buyer.post('/api/auth/logout')).status).toBe(204);

    expect(await aclLog()).toEqual([]);
  });

  it('refuses keys outside the prefix and commands the API never sends', async () => {
    const url = new URL(api.config.REDIS_URL);
    const options = { username: user, password, protocol: 2, maxRetriesPerRequest: 0 } as const;
    const node = { host: url.hostname, port: Number(url.port) };
    const asApi = testRedisMode === 'cluster' ? new Cluster([node], { redisOptions: options }) : new Redis({ ...node, ...options });
    try {
      expect(await asApi.set(`${platform.keyPrefix}probe`, '1')).toBe('OK');
      await expect(asApi.get('someone-else:key')).rejects.toThrow(/NOPERM/);
      await expect(asApi.keys('*')).rejects.toThrow(/NOPERM/);
      await expect(asApi.flushall()).rejects.toThrow(/NOPERM/);
      await expect(asApi.call('CONFIG', 'GET', 'maxmemory')).rejects.toThrow(/NOPERM/);
      await expect(asApi.subscribe('news')).rejects.toThrow(/NOPERM/);
      // A script may only touch the keys the rules allow, whatever it is passed.
      await expect(asApi.eval("return redis.call('GET', KEYS[1])", 1, 'someone-else:key')).rejects.toThrow(/NOPERM|No permissions/);
    } finally {
      asApi.disconnect();
    }
    expect(await aclLog()).toEqual(expect.arrayContaining([
      { reason: 'key', object: 'someone-else:key' },
      { reason: 'command', object: 'keys' },
      { reason: 'command', object: 'flushall' },
      { reason: 'command', object: 'config|get' },
      { reason: 'command', object: 'subscribe' },
    ]));
  });
});
