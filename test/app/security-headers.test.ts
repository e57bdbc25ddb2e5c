import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { METHODS, request, type IncomingHttpHeaders } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.ts';
import { connect } from '../../app/connect.ts';
import { createApp } from '../../app/create-app.ts';
import { startApi, type RunningApi } from '../../app/server.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { ensureSiteBuilt } from '../web/support/site-build.ts';

let platform: TestPlatform;
let instance: TestInstance;
/** An instance whose log lines this test reads. */
let logged: { api: RunningApi; lines: { level: number; status?: number; method?: string; path?: string }[] };

beforeAll(async () => {
  await ensureSiteBuilt();
  platform = await createTestPlatform();
  instance = await platform.startInstance();
  const lines: typeof logged.lines = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const api = await startApi(connect(loadConfig(platform.env), logger), { port: 0, host: '127.0.0.1' });
  await api.ready;
  logged = { api, lines };
});
afterAll(async () => {
  await logged?.api.stop();
  await platform?.stop();
});

/** A raw request (fetch refuses TRACE and other methods; node:http sends any method Node's parser accepts). */
async function send(
  url: string,
  method: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  const req = request(url, { method, headers });
  req.end();
  const [response] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
  let body = '';
  for await (const chunk of response) body += chunk;
  return { status: response.statusCode!, headers: response.headers, body };
}

describe('HTML answers', () => {
  it('carry the Content-Security-Policy (no framing) and X-Frame-Options, whatever served them', async () => {
    for (const path of ['/', '/index.html', '/events/12', '/tickets']) {
      const page = await send(instance.url + path, 'GET');
      expect(page.status, path).toBe(200);
      expect(page.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(page.headers['content-security-policy'], path).toContain("frame-ancestors 'none'");
      expect(page.headers['content-security-policy'], path).toContain("default-src 'self'");
      expect(page.headers['x-frame-options'], path).toBe('DENY');
    }
    const json = await send(`${instance.url}/api/events`, 'GET');
    expect(json.headers['x-frame-options']).toBeUndefined();
  });
});

describe('Cache-Control on API answers', () => {
  it('is no-store on every answer with personal data, errors included, unless the route chose its own', async () => {
    const admin = new HttpClient(instance.url);
    await logIn(admin, organizer.email, organizer.password);
    expect(admin.lastSetCookie.length).toBeGreaterThan(0);
    const created = await admin.post('/api/admin/events', {
      name: 'Cache', venue: 'V', startsAt: '2030-01-01T00:00:00Z', onSaleAt: '2026-01-01T00:00:00Z',
      sections: [{ name: 'A', rows: 1, seatsPerRow: 4, priceCents: 100 }],
    });
    expect(created.status).toBe(201);
    const { eventId, seatIds } = await createEvent(admin);
    const { client: buyer } = await newBuyer(instance.url);
    const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    const other = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(2, 3) });
    const purchase = await buyer.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'cache-1' });
    const answers = {
      'POST /api/admin/events': created,
      'POST /api/events/:id/holds': hold,
      'GET /api/holds/:id': await buyer.get(`/api/holds/${other.body.hold.id}`),
      'DELETE /api/holds/:id': await buyer.request('DELETE', `/api/holds/${other.body.hold.id}`),
      'POST /api/holds/:id/purchase': purchase,
      'GET /api/me': await buyer.get('/api/me'),
      'GET /api/orders': await buyer.get('/api/orders'),
      'GET /api/orders/:id': await buyer.get(`/api/orders/${purchase.body.order.id}`),
      'POST /api/auth/register': await new HttpClient(instance.url).post('/api/auth/register', {
        email: `cache-${Date.now()}@test.local`, password: 'a long password', name: 'C',
      }),
      'POST /api/auth/login (401)': await new HttpClient(instance.url).post('/api/auth/login', { email: organizer.email, password: 'wrong password' }),
      'POST /api/auth/logout': await buyer.post('/api/auth/logout'),
      'GET /api/me (401)': await buyer.get('/api/me'),
      'GET /api/no-such-route (404)': await buyer.get('/api/no-such-route'),
      'GET /api/events': await buyer.get('/api/events'),
      'GET /api/openapi.json': await buyer.get('/api/openapi.json'),
    };
    expect(answers['POST /api/holds/:id/purchase'].status).toBe(201);
    const cacheControl = Object.fromEntries(Object.entries(answers).map(([name, answer]) => [name, answer.headers.get('cache-control')]));
    expect(cacheControl).toEqual(Object.fromEntries(Object.keys(answers).map((name) => [name, 'no-store'])));

    // Chosen on purpose: the seat map is revalidated (ETag polling), pages too; assets are immutable.
    expect((await buyer.get(`/api/events/${eventId}/seats`)).headers.get('cache-control')).toBe('private, no-cache');
    expect((await buyer.get('/')).headers.get('cache-control')).toBe('no-cache');
    expect((await buyer.get('/healthz')).headers.get('cache-control')).toBeNull();
  });
});

describe('Strict-Transport-Security', () => {
  const hsts = 'max-age=31536000; includeSubDomains';

  it('is never sent over plain HTTP, nor for an X-Forwarded-Proto the instance does not trust', async () => {
    expect((await send(`${instance.url}/api/events`, 'GET')).headers['strict-transport-security']).toBeUndefined();
    const claimed = await send(`${instance.url}/api/events`, 'GET', { 'x-forwarded-proto': 'https' });
    expect(claimed.status).toBe(200);
    expect(claimed.headers['strict-transport-security']).toBeUndefined();
  });

  it('is sent behind a trusted proxy that says the request was HTTPS, on every answer, but not when it says HTTP', async () => {
    const behindProxy = await platform.startInstance({ TRUST_PROXY: 'true' });
    for (const path of ['/api/events', '/', '/api/me', '/api/no-such-route']) {
      expect((await send(behindProxy.url + path, 'GET', { 'x-forwarded-proto': 'https' })).headers['strict-transport-security'], path).toBe(hsts);
    }
    expect((await send(`${behindProxy.url}/api/events`, 'GET', { 'x-forwarded-proto': 'http' })).headers['strict-transport-security']).toBeUndefined();
    expect((await send(`${behindProxy.url}/api/events`, 'GET')).headers['strict-transport-security']).toBeUndefined();
  });

  it('is sent on a direct TLS connection', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tk-tls-'));
    try {
      const made = spawnSync('openssl', [
        'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
      ], { stdio: 'ignore' });
      expect(made.status).toBe(0);
      const { app } = createApp(instance.deps, () => true);
      const server = createHttpsServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, app.callback());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const req = httpsRequest(`https://127.0.0.1:${(server.address() as AddressInfo).port}/api/events`, { rejectUnauthorized: false });
        req.end();
        const [response] = (await once(req, 'response')) as [import('node:http').IncomingMessage];
        response.resume();
        expect(response.statusCode).toBe(200);
        expect(response.headers['strict-transport-security']).toBe(hsts);
      } finally {
        server.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('methods no route answers', () => {
  // CONNECT is a tunnel, not a request: Node's server closes such connections before any route sees them.
  const unknown = METHODS.filter((method) => !['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'CONNECT'].includes(method));

  it('answers 405 method_not_allowed in the JSON error shape, with Allow where the path exists, logged as a client error', async () => {
    expect(unknown).toEqual(expect.arrayContaining(['PROPFIND', 'TRACE', 'MKCOL']));
    for (const method of [...unknown, 'PATCH']) {
      const existing = await send(`${logged.api.url}/api/events`, method);
      expect([method, existing.status, existing.headers.allow]).toEqual([method, 405, 'HEAD, GET']);
      expect(existing.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(JSON.parse(existing.body)).toEqual({ error: { code: 'method_not_allowed', message: `${method} is not allowed on /api/events.` } });
    }
    for (const path of ['/api/no-such-route', '/', '/index.html']) {
      const missing = await send(logged.api.url + path, 'PROPFIND');
      expect([path, missing.status, missing.headers.allow]).toEqual([path, 405, undefined]);
      expect(JSON.parse(missing.body).error.code).toBe('method_not_allowed');
    }
    // A known method on a path that does not exist stays a 404.
    expect((await send(`${logged.api.url}/api/no-such-route`, 'POST')).status).toBe(404);

    const requestLines = logged.lines.filter((line) => line.status === 405);
    expect(requestLines.length).toBe(unknown.length + 1 + 3);
    expect(requestLines.every((line) => line.level === 30)).toBe(true); // pino's info
    expect(logged.lines.filter((line) => line.level >= 50)).toEqual([]);
  });

  it('answers OPTIONS with 204 and Allow where the path exists, 404 where it does not', async () => {
    const events = await send(`${instance.url}/api/events`, 'OPTIONS');
    expect([events.status, events.headers.allow, events.body]).toEqual([204, 'HEAD, GET', '']);
    const hold = await send(`${instance.url}/api/holds/1-abc`, 'OPTIONS');
    expect([hold.status, hold.headers.allow]).toEqual([204, 'HEAD, GET, DELETE']);
    const missing = await send(`${instance.url}/api/no-such-route`, 'OPTIONS');
    expect([missing.status, JSON.parse(missing.body).error.code]).toEqual([404, 'not_found']);
  });
});
