import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

let platform: TestPlatform;
let api: TestInstance;
let buyer: HttpClient;
let eventId: number;
let seatIds: number[];

beforeAll(async () => {
  platform = await createTestPlatform({ ALLOWED_ORIGINS: 'https://tickets.example.com' });
  api = await platform.startInstance();
  const admin = new HttpClient(api.url);
  await logIn(admin, organizer.email, organizer.password);
  ({ eventId, seatIds } = await createEvent(admin));
  buyer = (await newBuyer(api.url)).client;
});
afterAll(() => platform.stop());

const injections = ["' OR 1=1 --", '1; DROP TABLE tickets', '<script>alert(1)</script>', '../../etc/passwd', '%00', '{{7*7}}'];

describe('bad input gets a 4xx with a stable code, never a 5xx', () => {
  it.each([
    ['malformed JSON', '{"email": ', 'application/json', 400, 'invalid_json'],
    ['a JSON array', '[1,2]', 'application/json', 400, 'validation_failed'],
    ['wrong types', '{"email": 1, "password": true, "name": null}', 'application/json', 400, 'validation_failed'],
    ['unknown fields', '{"email":"a@b.co","password":"long enough","name":"x","role":"organizer"}', 'application/json', 400, 'validation_failed'],
    ['form data', 'email=a@b.co', 'application/x-www-form-urlencoded', 415, 'unsupported_media_type'],
    ['no content type', '{}', '', 415, 'unsupported_media_type'],
  ])('%s', async (_name, body, contentType, status, code) => {
    const client = new HttpClient(api.url);
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    const response = await client.request('POST', '/api/auth/register', { body, headers });
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });

  it('answers 413 for a JSON body over 64 KB, declared or streamed', async () => {
    const big = JSON.stringify({ email: 'a@b.co', password: 'x'.repeat(70_000), name: 'x' });
    const declared = await new HttpClient(api.url).request('POST', '/api/auth/register', { body: big, headers: { 'content-type': 'application/json' } });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await new HttpClient(api.url).request('POST', '/api/auth/register', { body: stream, headers: { 'content-type': 'application/json' } });
    expect(chunked.status).toBe(413);
  });

  it('validates hold requests strictly', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'validation_failed'],
      [{ seatIds: [] }, 400, 'validation_failed'],
      [{ seatIds: ['1'] }, 400, 'validation_failed'],
      [{ seatIds: [1.5] }, 400, 'validation_failed'],
      [{ seatIds: [-1] }, 400, 'validation_failed'],
      [{ seatIds: [seatIds[0], seatIds[0]] }, 400, 'validation_failed'],
      [{ seatIds: [seatIds[0]], extra: true }, 400, 'validation_failed'],
      [{ seatIds: [2 ** 53] }, 400, 'validation_failed'],
      [{ seatIds: [999_999_999] }, 400, 'unknown_seats'],
    ];
    for (const [json, status, code] of cases) {
      const response = await buyer.post(`/api/events/${eventId}/holds`, json);
      expect(response.status, JSON.stringify(json)).toBe(status);
      expect(response.body.error.code).toBe(code);
    }
  });

  it('answers 404 not_found for malformed and unknown ids', async () => {
    for (const id of ['abc', '-1', '0', '1.5', '99999999999', '4294967296', '999999', encodeURIComponent("1' OR '1'='1")]) {
      for (const path of [`/api/events/${id}`, `/api/events/${id}/seats`, `/api/orders/${id}`, `/api/holds/${id}`]) {
        const response = await buyer.get(path);
        expect(response.status, path).toBe(404);
        expect(response.body.error.code).toBe('not_found');
      }
    }
    expect((await buyer.get('/api/no-such-route')).body.error.code).toBe('not_found');
    expect((await buyer.request('PATCH', '/api/events')).status).toBe(405);
  });

  it('stores injection strings as plain data and never errors on them', async () => {
    for (const text of injections) {
      const client = new HttpClient(api.url);
      const email = `inj${Math.random().toString(36).slice(2)}@test.local`;
      const registered = await client.post('/api/auth/register', { email, password: `pw ${text} long`, name: text });
      expect(registered.status).toBe(201);
      expect(registered.body.user.name).toBe(text);
      expect((await client.post('/api/auth/login', { email: `${text}@x.y`, password: text })).status).toBe(401);
      const keyed = await client.post(`/api/holds/${encodeURIComponent(text)}/purchase`, undefined, { 'Idempotency-Key': 'k' });
      expect(keyed.status).toBe(401);
    }
    const [rows] = await api.deps.db.query('SELECT COUNT(*) AS n FROM tickets');
    expect(Array.isArray(rows)).toBe(true);
  });
});

describe('cross-site request forgery', () => {
  it('rejects state-changing requests from a foreign or null Origin before authentication, on every such route', async () => {
    const routes: [string, string][] = [
      ['POST', '/api/auth/register'],
      ['POST', '/api/auth/login'],
      ['POST', '/api/auth/logout'],
      ['POST', `/api/events/${eventId}/holds`],
      ['POST', '/api/holds/x/purchase'],
      ['DELETE', '/api/holds/x'],
      ['POST', '/api/admin/events'],
      ['PUT', `/api/admin/events/${eventId}/poster`],
    ];
    for (const origin of ['https://evil.example', 'null', 'https://tickets.example.com.evil.example']) {
      for (const [method, path] of routes) {
        const response = await new HttpClient(api.url).request(method, path, { json: {}, headers: { Origin: origin } });
        expect(response.status, `${method} ${path} from ${origin}`).toBe(403);
        expect(response.body.error.code).toBe('csrf_rejected');
      }
    }
  });

  it('accepts the allowed origin, the site itself and clients that send no Origin', async () => {
    const { email } = await newBuyer(api.url);
    for (const headers of [{ Origin: 'https://tickets.example.com' }, { Origin: api.url }, {}] as Record<string, string>[]) {
      const response = await new HttpClient(api.url).post('/api/auth/login', { email, password: 'correct horse battery' }, headers);
      expect(response.status).toBe(200);
    }
    // Reads are never blocked by Origin.
    expect((await new HttpClient(api.url).get('/api/events', { Origin: 'https://evil.example' })).status).toBe(200);
  });
});

describe('rate limits', () => {
  it('limits holds per user and per IP, and logins per IP, with 429 rate_limited', async () => {
    const limited = await createTestPlatform({ HOLD_RATE_LIMIT_PER_USER: '3', HOLD_RATE_LIMIT_PER_IP: '5', LOGIN_RATE_LIMIT_PER_IP: '4' });
    try {
      const instance = await limited.startInstance({ TRUST_PROXY: 'true' });
      const admin = new HttpClient(instance.url);
      await logIn(admin, organizer.email, organizer.password);
      const event = await createEvent(admin);
      const ip = (n: number) => ({ 'X-Forwarded-For': `203.0.113.${n}` });

      const first = (await newBuyer(instance.url)).client;
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await first.post(`/api/events/${event.eventId}/holds`, { seatIds: [event.seatIds[i]] }, ip(1))).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
      const refused = await first.post(`/api/events/${event.eventId}/holds`, { seatIds: [event.seatIds[10]] }, ip(2));
      expect(refused.body.error).toMatchObject({ code: 'rate_limited', details: { retryAfterSeconds: expect.any(Number) } });
      expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);

      // Per IP: another user from the same address has one request left of 5 (4 + 1 above came from 203.0.113.1/2).
      const second = (await newBuyer(instance.url)).client;
      expect((await second.post(`/api/events/${event.eventId}/holds`, { seatIds: [event.seatIds[20]] }, ip(1))).status).toBe(201);
      expect((await second.post(`/api/events/${event.eventId}/holds`, { seatIds: [event.seatIds[21]] }, ip(1))).status).toBe(429);
      expect((await second.post(`/api/events/${event.eventId}/holds`, { seatIds: [event.seatIds[22]] }, ip(3))).status).toBe(201);

      const logins = [];
      for (let i = 0; i < 5; i++) logins.push((await new HttpClient(instance.url).post('/api/auth/login', { email: 'x@y.zz', password: 'nope' }, ip(9))).status);
      expect(logins).toEqual([401, 401, 401, 401, 429]);
      expect((await new HttpClient(instance.url).post('/api/auth/login', { email: 'x@y.zz', password: 'nope' }, ip(10))).status).toBe(401);

      // Behind CloudFront + ALB (TRUST_PROXY=2) the client is the address CloudFront appended, whatever the client claims
      // before it and whichever edge (the address the ALB appended) it came through.
      const twoHops = await limited.startInstance({ TRUST_PROXY: '2' });
      const viaEdges = [];
      for (let i = 0; i < 5; i++) {
        const forwarded = { 'X-Forwarded-For': `10.9.9.${i}, 198.51.100.7, 130.176.0.${i}` };
        viaEdges.push((await new HttpClient(twoHops.url).post('/api/auth/login', { email: 'x@y.zz', password: 'nope' }, forwarded)).status);
      }
      expect(viaEdges).toEqual([401, 401, 401, 401, 429]);
    } finally {
      await limited.stop();
    }
  });
});
