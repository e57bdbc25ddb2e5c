import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, createEventWithOpenRoom, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { LocalRedisCluster } from '../support/redis-cluster.ts';
import { waitUntil } from '../support/wait.ts';

/**
 * Every key pattern the API writes (after REDIS_KEY_PREFIX) and the slot rule it relies on on a Redis Cluster.
 * `event`: the event's hash tag `{e<id>}`, so a script may take several of them at once (a hold takes seven).
 * `account`: the login throttle's hash tag, one per account. `single`: only ever touched alone.
 * A new key pattern fails this test until it is listed here with its rule.
 */
const keyPatterns = [
  { pattern: '{e<event>}:seats', match: /^\{e\d+\}:seats$/, rule: 'event' },
  { pattern: '{e<event>}:loaded', match: /^\{e\d+\}:loaded$/, rule: 'event' },
  { pattern: '{e<event>}:bought', match: /^\{e\d+\}:bought$/, rule: 'event' },
  { pattern: '{e<event>}:u:<user>', match: /^\{e\d+\}:u:\d+$/, rule: 'event' },
  { pattern: '{e<event>}:hold:<hold>', match: /^\{e\d+\}:hold:[\w-]+$/, rule: 'event' },
  { pattern: '{e<event>}:room:state', match: /^\{e\d+\}:room:state$/, rule: 'event' },
  { pattern: '{e<event>}:room:queue', match: /^\{e\d+\}:room:queue$/, rule: 'event' },
  { pattern: '{e<event>}:room:unused', match: /^\{e\d+\}:room:unused$/, rule: 'event' },
  { pattern: '{e<event>}:room:used', match: /^\{e\d+\}:room:used$/, rule: 'event' },
  { pattern: 'login:{<account>}', match: /^login:\{[\w-]+\}$/, rule: 'account' },
  { pattern: 'login:{<account>}:d:<device>', match: /^login:\{[\w-]+\}:d:[\w-]+$/, rule: 'account' },
  { pattern: 'sess:<session>', match: /^sess:[\w-]+$/, rule: 'single' },
  { pattern: 'rl:<limit>:<who>', match: /^rl:[\w-]+:[\w.:-]+$/, rule: 'single' },
  { pattern: 'rooms', match: /^rooms$/, rule: 'single' },
  { pattern: 'room-publisher', match: /^room-publisher$/, rule: 'single' },
] as const;

let cluster: LocalRedisCluster;
let platform: TestPlatform;
let api: TestInstance;
/** Every command a master received from the API that names a key of this platform: its keys, and whether a script ran it. */
const seen: { command: string; keys: string[]; inScript: boolean }[] = [];
const monitors: Redis[] = [];

/** The keys a command names: a script's KEYS, or the first argument of the one-key commands the API sends. */
function keysOf(args: string[]): string[] {
  const command = args[0]!.toLowerCase();
  if (command === 'evalsha' || command === 'eval') return args.slice(3, 3 + Number(args[2]));
  return args.length > 1 ? [args[1]!] : [];
}

beforeAll(async () => {
  cluster = await LocalRedisCluster.start();
  for (const port of cluster.ports) {
    const monitor = await new Redis({ port, host: '127.0.0.1' }).monitor();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // KEYS is the test's own forgetRedis (the API's user may not run it).
      if (args[0]!.toLowerCase() === 'keys') return;
      const keys = keysOf(args);
      if (keys.some((key) => key.startsWith(platform.keyPrefix))) seen.push({ command: args[0]!.toLowerCase(), keys, inScript: source === 'lua' });
    });
    monitors.push(monitor);
  }
  platform = await createTestPlatform({
    REDIS_URL: cluster.url,
    REDIS_MODE: 'cluster',
    // Every Redis-backed limit on, so their keys are written too.
    HOLD_RATE_LIMIT_PER_USER: '1000',
    HOLD_RATE_LIMIT_PER_IP: '1000',
    LOGIN_RATE_LIMIT_PER_IP: '1000',
    REGISTER_RATE_LIMIT_PER_IP: '1000',
    LOGIN_THROTTLE_FAILURES: '2',
  });
  api = await platform.startInstance();
});
afterAll(async () => {
  await platform?.stop();
  for (const monitor of monitors) monitor.disconnect();
  await cluster?.close();
});

/** newBuyer's password. */
const buyerPassword = 'correct horse battery';

/** Runs every flow of the API that touches Redis: accounts, throttles, limits, holds, purchases, rebuilds, the waiting room. */
async function runEveryFlow(): Promise<void> {
  const { client: buyer, email: buyerEmail } = await newBuyer(api.url, 'slots');
  const { email } = await newBuyer(api.url, 'slots-victim');
  const guesser = new HttpClient(api.url);
  for (let i = 0; i < 3; i++) await guesser.post('/api/auth/login', { email, password: 'wrong password 1' });
  // A browser that logged in before fails in its own bucket (its device cookie).
  await buyer.post('/api/auth/login', { email: buyerEmail, password: 'wrong password 1' });
  await logIn(buyer, buyerEmail, buyerPassword);

  const admin = new HttpClient(api.url);
  await logIn(admin, organizer.email, organizer.password);
  const { eventId, seatIds } = await createEvent(admin);
  const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
  expect(hold.status).toBe(201);
  expect((await buyer.get(`/api/holds/${hold.body.hold.id}`)).status).toBe(200);
  expect((await buyer.request('DELETE', `/api/holds/${hold.body.hold.id}`)).status).toBe(204);
  const again = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
  expect((await buyer.post(`/api/holds/${again.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': randomUUID() })).status).toBe(201);
  // Redis forgets the event: the seat map rebuilds its sold seats from MySQL.
  await platform.forgetRedis();
  await logIn(buyer, buyerEmail, buyerPassword);
  await logIn(admin, organizer.email, organizer.password);
  expect((await buyer.get(`/api/events/${eventId}/seats`)).status).toBe(200);

  // An event behind a waiting room: join, get admitted, hold with the admission.
  const roomId = await createEventWithOpenRoom(admin);
  expect((await buyer.post(`/api/events/${roomId}/queue`)).status).toBe(200);
  await waitUntil('the buyer admitted', async () => (await buyer.get(`/api/events/${roomId}/queue`)).body.queue.status === 'admitted', 20_000, 100);
  const seats = (await buyer.get(`/api/events/${roomId}/seats`)).body.seats as { id: number }[];
  expect((await buyer.post(`/api/events/${roomId}/holds`, { seatIds: [seats[0]!.id] })).status).toBe(201);
  // The publisher's lease (taken by one instance of the fleet while a room is active).
  expect(await api.deps.rooms.store.lead('slots-test', 1_000)).toBe(true);
  expect((await buyer.post('/api/auth/logout')).status).toBe(204);
}

describe('the keys the API writes on a Redis Cluster', () => {
  it('runs every flow with each command on one slot, and every key is of a listed pattern whose slot rule holds', async () => {
    await runEveryFlow();
    await waitUntil('the monitors to have seen the logout', () => seen.some((entry) => entry.command === 'del' && entry.keys[0]!.includes(':sess:')), 5_000);

    const slots = new Map<string, number>();
    const slotOf = async (key: string) => slots.get(key) ?? slots.set(key, await cluster.keySlot(key)).get(key)!;
    const patternOf = (key: string) => keyPatterns.filter((candidate) => candidate.match.test(key.slice(platform.keyPrefix.length)));

    // Every command the API sent kept its keys in one slot (a cluster refuses CROSSSLOT; this says which).
    const crossSlot = [];
    for (const { command, keys } of seen.filter((entry) => !entry.inScript)) {
      if (new Set(await Promise.all(keys.map(slotOf))).size > 1) crossSlot.push({ command, keys });
    }
    expect(crossSlot).toEqual([]);

    // Every key is of exactly one listed pattern; every listed pattern was written.
    const keys = [...new Set(seen.flatMap((entry) => entry.keys))];
    expect(keys.filter((key) => patternOf(key).length !== 1)).toEqual([]);
    const written = new Set(keys.map((key) => patternOf(key)[0]!.pattern));
    expect(keyPatterns.map(({ pattern }) => pattern).filter((pattern) => !written.has(pattern))).toEqual([]);

    // The rules: an event's keys are all in the slot of its tag `{e<id>}`, a login bucket in the slot of its account's.
    const misplaced = [];
    for (const key of keys) {
      const { rule } = patternOf(key)[0]!;
      const tag = rule === 'event' ? /\{e\d+\}/.exec(key)![0] : rule === 'account' ? /\{[\w-]+\}/.exec(key)![0] : undefined;
      if (tag && (await slotOf(key)) !== (await cluster.keySlot(tag))) misplaced.push(key);
    }
    expect(misplaced).toEqual([]);
    // The event flows really ran scripts over several keys at once, which is what the tag is for.
    expect(seen.some((entry) => entry.command === 'evalsha' && entry.keys.length >= 7)).toBe(true);
  });
});
