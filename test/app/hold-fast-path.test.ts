import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../app/create-app.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

// The hold fast path (app/http/hold-fast-path.ts) takes a plain `Content-Type: application/json` hold request; the
// same request with `; charset=utf-8` goes through the Koa route. Each case sends both and compares the answers, on
// servers built like app/server.ts's that record which path took each request.
let platform: TestPlatform;
let instances: TestInstance[];
/** Per instance: a server on its deps, and whether the fast path took each request it received. */
let servers: { server: Server; url: string; tookFast: boolean[] }[];
let organizerClient: HttpClient;
let eventId: number;
let seatIds: number[];
let nextSeat = 0;
const perUserLimit = 4;

beforeAll(async () => {
  platform = await createTestPlatform({ TRUST_PROXY: '1', HOLD_RATE_LIMIT_PER_USER: String(perUserLimit), MAX_SEATS_PER_USER: '8' });
  instances = [await platform.startInstance(), await platform.startInstance()];
  servers = await Promise.all(instances.map(async (instance) => {
    const { handle, holdFastPath } = createApp(instance.deps, () => true);
    const tookFast: boolean[] = [];
    const server = createServer((req, res) => {
      const fast = holdFastPath(req, res);
      if (req.url?.includes('/holds')) tookFast.push(fast);
      if (!fast) void handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, tookFast };
  }));
  organizerClient = new HttpClient(instances[0]!.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  ({ eventId, seatIds } = await createEvent(organizerClient, [{ name: 'Floor', rows: 4, seatsPerRow: 25, priceCents: 5_000 }]));
});
afterAll(async () => {
  for (const { server } of servers ?? []) {
    server.closeAllConnections();
    server.close();
  }
  await platform.stop();
});

const seat = () => seatIds[nextSeat++]!;

type Answer = Awaited<ReturnType<HttpClient['request']>>;

/** Everything of an answer that does not change from one request to the next. */
function comparable(answer: Answer) {
  const headers = Object.fromEntries([...answer.headers].filter(([name]) => !['date', 'x-request-id'].includes(name)));
  return { status: answer.status, headers, body: answer.body };
}

const koaRoute = { 'content-type': 'application/json; charset=utf-8' };
const fastPath = { 'content-type': 'application/json' };

/** A buyer's hold request on server `on`: a body (JSON, or raw text), headers and the path that must take it. */
async function hold(buyer: HttpClient, on: number, via: 'koa' | 'fast', request: { path?: string; body: unknown; headers?: Record<string, string> }): Promise<Answer> {
  buyer.baseUrl = servers[on]!.url;
  const body = typeof request.body === 'string' ? request.body : JSON.stringify(request.body);
  const answer = await buyer.request('POST', request.path ?? `/api/events/${eventId}/holds`, {
    body,
    headers: { ...request.headers, ...(via === 'koa' ? koaRoute : fastPath) },
  });
  expect(servers[on]!.tookFast.at(-1), `${via} path`).toBe(via === 'fast');
  return answer;
}

/** A fresh buyer's hold request through the Koa route, then (`second`, else the same) through the fast path. */
async function throughBoth(
  first: { path?: string; body: unknown; headers?: Record<string, string> },
  second = first,
): Promise<{ koa: Answer; fast: Answer }> {
  const buyer = (await newBuyer(instances[0]!.url, 'fast')).client;
  const koa = await hold(buyer, 0, 'koa', first);
  const fast = await hold(buyer, 0, 'fast', second);
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

  it('reads a body with a UTF-8 byte order mark as the Koa route does, and survives a body cut off mid-way', async () => {
    const withBom = (seatId: number) => ({ body: `\uFEFF${JSON.stringify({ seatIds: [seatId] })}` });
    const { koa, fast } = await throughBoth(withBom(seat()), withBom(seat()));
    expect([koa.status, fast.status]).toEqual([201, 201]);

    // A client that declares 40 bytes, sends 10 and goes away: no answer is possible, and nothing breaks.
    const buyer = (await newBuyer(instances[0]!.url, 'cut')).client;
    const cookie = [...buyer.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const { port } = new URL(servers[0]!.url);
    const seen = servers[0]!.tookFast.length;
    await new Promise<void>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /api/events/${eventId}/holds HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\nCookie: ${cookie}\r\n\r\n{"seatIds"`);
        setImmediate(() => socket.destroy());
      });
      socket.on('close', () => resolve()).on('error', reject);
    });
    await waitUntil('the cut-off request to reach the server', () => servers[0]!.tookFast.length > seen);
    expect(servers[0]!.tookFast.at(-1)).toBe(true);
    const after = await hold(buyer, 0, 'fast', { body: { seatIds: [seat()] } });
    expect(after.status).toBe(201);
  });

  it('sends HSTS on HTTPS (the trusted proxy\'s X-Forwarded-Proto) and keeps the same-site Origin check', async () => {
    const https = { 'x-forwarded-proto': 'https' };
    const secure = await throughBoth({ body: { seatIds: [seat()] }, headers: https }, { body: { seatIds: [seat()] }, headers: https });
    expect(secure.fast.headers.get('strict-transport-security')).toBe(secure.koa.headers.get('strict-transport-security'));
    expect(secure.fast.headers.get('strict-transport-security')).toMatch(/^max-age=\d+/);

    const sameSite = { origin: servers[0]!.url };
    const allowed = await throughBoth({ body: { seatIds: [seat()] }, headers: sameSite }, { body: { seatIds: [seat()] }, headers: sameSite });
    expect([allowed.koa.status, allowed.fast.status]).toEqual([201, 201]);

    // A forged Origin is not the fast path's to judge: the Koa route refuses it.
    const buyer = (await newBuyer(instances[0]!.url, 'csrf')).client;
    buyer.baseUrl = servers[0]!.url;
    const forged = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] }, { origin: 'https://evil.example' });
    expect(servers[0]!.tookFast.at(-1)).toBe(false);
    expect([forged.status, forged.body.error.code]).toEqual([403, 'csrf_rejected']);
  });

  it('counts the per-buyer hold limit together with the Koa route, on every instance', async () => {
    const buyer = (await newBuyer(instances[0]!.url, 'limited')).client;
    const body = () => ({ body: { seatIds: [seat()] } });
    for (let i = 0; i < perUserLimit; i++) expect((await hold(buyer, i % 2, i % 2 ? 'koa' : 'fast', body())).status).toBe(201);
    const fast = await hold(buyer, 0, 'fast', body());
    const koa = await hold(buyer, 1, 'koa', body());
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

  it('takes a buyer whose session this instance has not read yet, and leaves a request without a session to Koa', async () => {
    const buyer = (await newBuyer(instances[0]!.url, 'first')).client;
    const first = await hold(buyer, 1, 'fast', { body: { seatIds: [seat()] } });
    expect(first.status).toBe(201);
    const stranger = new HttpClient(servers[0]!.url);
    const refused = await stranger.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] });
    expect(servers[0]!.tookFast.at(-1)).toBe(false);
    expect([refused.status, refused.body.error.code]).toEqual([401, 'unauthenticated']);
    // A forged signature is no session: the fast path finds no buyer and hands the request on; Koa answers 401.
    const forger = (await newBuyer(instances[0]!.url, 'forger')).client;
    forger.cookies.set('tk.sid.sig', 'forged-signature-forged-signatur');
    forger.baseUrl = servers[1]!.url;
    const forged = await forger.post(`/api/events/${eventId}/holds`, { seatIds: [seat()] });
    expect([forged.status, forged.body.error.code]).toEqual([401, 'unauthenticated']);
  });
});
