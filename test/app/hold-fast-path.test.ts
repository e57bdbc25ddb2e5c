import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

// The hold fast path (app/http/hold-fast-path.ts) takes a hold request only when this instance's session cache
// holds the buyer's session; a buyer's first hold after logging in is a cache miss and goes through the Koa route.
// Each case below sends the same kind of request once through each and compares the answers.
let platform: TestPlatform;
let instances: TestInstance[];
let organizerClient: HttpClient;
let eventId: number;
let seatIds: number[];
let nextSeat = 0;
const perUserLimit = 4;

beforeAll(async () => {
  platform = await createTestPlatform({ TRUST_PROXY: '1', HOLD_RATE_LIMIT_PER_USER: String(perUserLimit), MAX_SEATS_PER_USER: '8' });
  instances = [await platform.startInstance(), await platform.startInstance()];
  organizerClient = new HttpClient(instances[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  ({ eventId, seatIds } = await createEvent(organizerClient, [{ name: 'Floor', rows: 4, seatsPerRow: 25, priceCents: 5_000 }]));
});
afterAll(() => platform.stop());

const seat = () => seatIds[nextSeat++]!;

/** Whether `instance`'s session cache holds the buyer's session now: its next hold goes through the fast path. */
function cachedOn(instance: TestInstance, client: HttpClient): boolean {
  return instance.deps.sessionCache.get(client.cookies.get('tk.sid') ?? '', client.cookies.get('tk.sid.sig') ?? '') !== undefined;
}

type Answer = Awaited<ReturnType<HttpClient['request']>>;

/** Everything of an answer that does not change from one request to the next. */
function comparable(answer: Answer) {
  const headers = Object.fromEntries([...answer.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)));
  return { status: answer.status, headers, body: answer.body };
}

/** A fresh buyer's two hold requests on instance 0: the first through the Koa route, the second through the fast path. */
async function throughBoth(
  first: { path?: string; body: unknown; headers?: Record<string, string> },
  second = first,
): Promise<{ koa: Answer; fast: Answer }> {
  const instance = instances[0]!;
  const buyer = (await newBuyer(instance.url, 'fast')).client;
  const send = ({ path, body, headers }: typeof first) =>
    buyer.request('POST', path ?? `/api/events/${eventId}/holds`, typeof body === 'string' ? { body, headers: { 'content-type': 'application/json', ...headers } } : { json: body, headers });
  expect(cachedOn(instance, buyer)).toBe(false);
  const koa = await send(first);
  expect(cachedOn(instance, buyer)).toBe(true);
  const fast = await send(second);
  return { koa, fast };
}

describe('the hold fast path', () => {
  it('grants a hold with the Koa route\'s status, headers and body', async () => {
    const [a, b] = [seat(), seat()];
    const { koa, fast } = await throughBoth({ body: { seatIds: [a] } }, { body: { seatIds: [b] } });
    expect(koa.status).toBe(201);
    expect(fast.body.hold.seatIds).toEqual([b]);
    expect(fast.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const withoutHold = (answer: Answer) => ({ ...comparable(answer), body: Object.keys(answer.body.hold) });
    expect(withoutHold(fast)).toEqual(withoutHold(koa));
    expect(fast.body.hold.id).toMatch(new RegExp(`^${eventId}-`));
    expect(Date.parse(fast.body.hold.expiresAt)).toBeGreaterThan(Date.now());
  });

  it('refuses taken seats, bad bodies, unknown seats and unknown events exactly as the Koa route does', async () => {
    const taken = seat();
    const holder = await newBuyer(instances[1]!.url, 'holder');
    expect((await holder.client.post(`/api/events/${eventId}/holds`, { seatIds: [taken] })).status).toBe(201);
    const cases = [
      { body: { seatIds: [taken] } },
      { body: '{"seatIds": [1,' },
      { body: { seatIds: [] } },
      { body: { seatIds: [1, 1] } },
      { body: { seatIds: [999_999] } },
      { body: { seatIds: [1], extra: true } },
      { path: '/api/events/4000000000/holds', body: { seatIds: [1] } },
    ];
    for (const request of cases) {
      const { koa, fast } = await throughBoth(request);
      expect(koa.status, JSON.stringify(request)).toBeGreaterThanOrEqual(400);
      expect(comparable(fast), JSON.stringify(request)).toEqual(comparable(koa));
    }
  });

  it('sends HSTS on HTTPS (the trusted proxy\'s X-Forwarded-Proto) and keeps the same-site Origin check', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const secure = await throughBoth({ body: { seatIds: [seat()] }, headers: https }, { body: { seatIds: [seat()] }, headers: https });
    expect(secure.fast.headers.get('strict-transport-security')).toBe(secure.koa.headers.get('strict-transport-security'));
    expect(secure.fast.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);

    const sameSite = { origin: instances[0]!.url };
    const allowed = await throughBoth({ body: { seatIds: [seat()] }, headers: sameSite }, { body: { seatIds: [seat()] }, headers: sameSite });
    expect([allowed.koa.status, allowed.fast.status]).toEqual([201, 201]);

    const buyer = (await newBuyer(instances[0]!.url, 'csrf')).client;
    await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] });
    expect(cachedOn(instances[0]!, buyer)).toBe(true);
    const forged = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] }, { origin: 'https://evil.example' });
    expect([forged.status, forged.body.error.code]).toEqual([403, 'csrf_rejected']);
  });

  it('counts the per-buyer hold limit together with the Koa route, on every instance', async () => {
    const [here, there] = instances as [TestInstance, TestInstance];
    const buyer = (await newBuyer(here.url, 'limited')).client;
    const hold = (instance: TestInstance) => {
      buyer.baseUrl = instance.url;
      return buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] });
    };
    // One through the Koa route, then the fast path, up to the limit.
    for (let i = 0; i < perUserLimit; i++) expect((await hold(here)).status).toBe(201);
    const fast = await hold(here);
    // Instance 1 has never read this session: its Koa route answers.
    expect(cachedOn(there, buyer)).toBe(false);
    const koa = await hold(there);
    expect(fast.status).toBe(429);
    expect(fast.body.error.code).toBe('rate_limited');
    // Retry-After counts down the window's seconds: the two answers may straddle a second.
    const retryAfter = (answer: Answer) => Number(answer.headers.get('retry-after'));
    expect(Math.abs(retryAfter(fast) - retryAfter(koa))).toBeLessThanOrEqual(1);
    const withoutRetry = (answer: Answer) => ({
      headers: Object.keys(comparable(answer).headers),
      error: { ...answer.body.error, details: { ...answer.body.error.details, retryAfterSeconds: undefined } },
    });
    expect(withoutRetry(fast)).toEqual(withoutRetry(koa));
  });
});
