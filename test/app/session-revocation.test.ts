import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { connect } from '../../app/connect.ts';
import { SessionCache } from '../../app/infra/session-cache.ts';
import { startApi, type RunningApi } from '../../app/server.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

const cacheTtlMs = 60_000;

let platform: TestPlatform;
let instanceA: TestInstance;
/** Instance B's session cache runs on this clock, so the test moves time instead of waiting for it. */
let clockB = Date.now();
let cacheB: SessionCache;
let instanceB: RunningApi;
let organizerClient: HttpClient;

beforeAll(async () => {
  platform = await createTestPlatform({ SESSION_CACHE_MS: String(cacheTtlMs) });
  instanceA = await platform.startInstance();
  const config = loadConfig(platform.env);
  const deps = connect(config, pino({ level: 'silent' }));
  cacheB = new SessionCache({ ttlMs: config.SESSION_CACHE_MS, now: () => clockB });
  instanceB = await startApi({ ...deps, sessionCache: cacheB }, { port: 0, host: '127.0.0.1' });
  await instanceB.ready;
  organizerClient = new HttpClient(instanceA.url);
  await logIn(organizerClient, organizer.email, organizer.password);
});
afterAll(async () => {
  await instanceB?.stop();
  await platform.stop();
});

/** The same browser's cookies, sent to another instance (the load balancer may pick either). */
function sameBrowserOn(url: string, client: HttpClient): HttpClient {
  const copy = new HttpClient(url);
  for (const [name, value] of client.cookies) copy.cookies.set(name, value);
  return copy;
}

const hold = (client: HttpClient, eventId: number, seatId: number) => client.post(`/api/events/${eventId}/holds`, { seatIds: [seatId] });

describe('revoking a session the hold path caches', () => {
  it('a logout on instance A is refused by instance B no later than B’s SESSION_CACHE_MS after B last read the session', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: onA } = await newBuyer(instanceA.url, 'revoked');
    const onB = sameBrowserOn(instanceB.url, onA);

    clockB = Date.now();
    const readAt = clockB;
    const first = await hold(onB, eventId, seatIds[0]!); // B reads the session from Redis and keeps it
    expect(first.status).toBe(201);
    expect((await onA.post('/api/auth/logout')).status).toBe(204);

    // Routes other than the hold read Redis on every request: refused on B at once, the purchase too.
    expect((await onB.get('/api/me')).status).toBe(401);
    const purchase = await onB.post(`/api/holds/${first.body.hold.id}/purchase`, undefined, { 'idempotency-key': crypto.randomUUID() });
    expect(purchase.status).toBe(401);
    // The hold path trusts B's copy for the configured TTL and not a millisecond longer.
    expect(cacheB.ttlMs).toBe(cacheTtlMs);
    clockB = readAt + cacheTtlMs - 1;
    expect((await hold(onB, eventId, seatIds[1]!)).status).toBe(201);
    clockB = readAt + cacheTtlMs;
    const refused = await hold(onB, eventId, seatIds[2]!);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthenticated');
    // And it stays refused: the session is gone from Redis, which B now asks again.
    clockB = Date.now();
    expect((await hold(onB, eventId, seatIds[3]!)).status).toBe(401);
  });

  it('a new login on A (a new session id) ends the old session on B within the same bound', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: onA, email } = await newBuyer(instanceA.url, 'relogin');
    const oldOnB = sameBrowserOn(instanceB.url, onA);
    clockB = Date.now();
    const readAt = clockB;
    expect((await hold(oldOnB, eventId, seatIds[0]!)).status).toBe(201);

    await logIn(onA, email, 'correct horse battery');
    expect(onA.cookies.get('tk.sid')).not.toBe(oldOnB.cookies.get('tk.sid'));
    clockB = readAt + cacheTtlMs;
    expect((await hold(oldOnB, eventId, seatIds[1]!)).status).toBe(401);
    // The new session works on B.
    expect((await hold(sameBrowserOn(instanceB.url, onA), eventId, seatIds[2]!)).status).toBe(201);
  });

  it('a logout on B itself is refused by B at once, cache or not', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: onA } = await newBuyer(instanceA.url, 'self');
    const onB = sameBrowserOn(instanceB.url, onA);
    const keep = sameBrowserOn(instanceB.url, onA);
    clockB = Date.now();
    expect((await hold(onB, eventId, seatIds[0]!)).status).toBe(201);
    expect((await onB.post('/api/auth/logout')).status).toBe(204);
    expect((await hold(keep, eventId, seatIds[1]!)).status).toBe(401);
  });

  it('never serves a cached session for a cookie whose signature does not verify', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: onA } = await newBuyer(instanceA.url, 'forged');
    const onB = sameBrowserOn(instanceB.url, onA);
    clockB = Date.now();
    expect((await hold(onB, eventId, seatIds[0]!)).status).toBe(201);
    const forged = sameBrowserOn(instanceB.url, onA);
    const signature = forged.cookies.get('tk.sid.sig')!;
    forged.cookies.set('tk.sid.sig', (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1));
    expect((await hold(forged, eventId, seatIds[1]!)).status).toBe(401);
    forged.cookies.delete('tk.sid.sig');
    expect((await hold(forged, eventId, seatIds[2]!)).status).toBe(401);
  });
});

describe('the bound on the real clock', () => {
  it('instance B refuses a session logged out on A once its SESSION_CACHE_MS has passed', async () => {
    const shortTtl = await platform.startInstance({ SESSION_CACHE_MS: '300' });
    expect(shortTtl.deps.sessionCache.ttlMs).toBe(300);
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { client: onA } = await newBuyer(instanceA.url, 'realclock');
    const onB = sameBrowserOn(shortTtl.url, onA);
    expect((await hold(onB, eventId, seatIds[0]!)).status).toBe(201);
    expect((await onA.post('/api/auth/logout')).status).toBe(204);
    let next = 1;
    await waitUntil('instance B to refuse the ended session', async () => (await hold(onB, eventId, seatIds[next++ % seatIds.length]!)).status === 401, 10_000);
  });
});
