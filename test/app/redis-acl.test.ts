import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiAclRules } from '../../shared/redis-acl.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const user = `tk-api-${randomBytes(3).toString('hex')}`;
const password = randomBytes(16).toString('hex');

let platform: TestPlatform;
let api: TestInstance;
/** The shared Redis as its default (administrator) user. */
let admin: Redis;

/** ACL LOG entries about our user: every command or key it was refused, and every failed AUTH. */
async function aclLog(): Promise<{ reason: string; object: string }[]> {
  const entries = (await admin.call('ACL', 'LOG', '1000')) as unknown[][];
  return entries
    .map((entry) => Object.fromEntries(Array.from({ length: entry.length / 2 }, (_, i) => [entry[2 * i], entry[2 * i + 1]])) as Record<string, string>)
    .filter((entry) => entry.username === user)
    .map((entry) => ({ reason: entry.reason!, object: entry.object! }));
}

beforeAll(async () => {
  admin = new Redis(redisUrl);
  platform = await createTestPlatform();
  // Exactly the rules the CDK gives the ElastiCache user, on a user of this test's own.
  await admin.call('ACL', 'SETUSER', user, 'reset', `>${password}`, ...apiAclRules(platform.keyPrefix).split(' '));
  const url = new URL(redisUrl);
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
  await platform?.stop();
  await admin?.call('ACL', 'DELUSER', user);
  admin?.disconnect();
});

describe('the API as a Redis user limited to its key prefix and its commands', () => {
  it('runs every flow (sessions, registration, login throttle, holds, purchases, inventory rebuild, rate limits) with nothing refused', async () => {
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    const clients = String(await admin.call('CLIENT', 'LIST')).split('\n').filter((line) => line.includes(` user=${user} `));
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
    const keys = await admin.keys(`${platform.keyPrefix}*`);
    const sessionKeys = keys.filter((name) => name.includes(':sess:'));
    await admin.del(...keys.filter((name) => !sessionKeys.includes(name)));
    const seats = (await buyer.get(`/api/events/${eventId}/seats`)).body.seats as { id: number; status: string }[];
    expect(seats.filter((seat) => seat.status === 'sold').map((seat) => seat.id)).toEqual(seatIds.slice(0, 2));
    expect((await buyer.get('/api/events')).status).toBe(200);

    // A rate limit that refuses: a second instance whose buyers may hold once a minute.
    const strict = await platform.startInstance({ REDIS_URL: api.config.REDIS_URL, HOLD_RATE_LIMIT_PER_USER: '1' });
    buyer.baseUrl = strict.url;
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[5]!] })).status).toBe(201);
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[6]!] })).body.error.code).toBe('rate_limited');
    expect((await buyer.post('/api/auth/logout')).status).toBe(204);

    expect(await aclLog()).toEqual([]);
  });

  it('refuses keys outside the prefix and commands the API never sends', async () => {
    const url = new URL(api.config.REDIS_URL);
    const asApi = new Redis({ host: url.hostname, port: Number(url.port), username: user, password, protocol: 2, maxRetriesPerRequest: 0 });
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
