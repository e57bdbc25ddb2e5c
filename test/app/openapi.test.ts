import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorStatus, type ErrorCode } from '../../app/errors.ts';
import { openApiDocument } from '../../app/http/openapi/document.ts';
import { operations } from '../../app/http/openapi/operations.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { contractProblems } from '../support/contract.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

const redocly = fileURLToPath(new URL('../../node_modules/.bin/redocly', import.meta.url));

let platform: TestPlatform;
let api: TestInstance;
let admin: HttpClient;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let document: any;

beforeAll(async () => {
  platform = await createTestPlatform();
  api = await platform.startInstance();
  admin = new HttpClient(api.url);
  await logIn(admin, organizer.email, organizer.password);
  document = (await admin.get('/api/openapi.json')).body;
});
afterAll(() => platform.stop());

describe('the OpenAPI document', () => {
  it('is what the code renders, and names every route of the router exactly once', async () => {
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    expect(document.openapi).toBe('3.1.0');
    const { createApp } = await import('../../app/create-app.ts');
    const { router } = createApp(api.deps, () => true);
    const routes = router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m.toLowerCase()} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(routes.length).toBeGreaterThan(15);
    const documented = Object.entries(operations).flatMap(([path, methods]) => Object.keys(methods).map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(routes.sort());
    const operationIds = Object.values(document.paths).flatMap((methods) => Object.values(methods as object).map((op) => op.operationId));
    expect(new Set(operationIds).size).toBe(routes.length);
  });

  it('passes redocly lint with its recommended rules and no configuration: 0 errors', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'ticketkit-openapi-'));
    try {
      await writeFile(join(directory, 'openapi.json'), JSON.stringify(document));
      const { stdout } = await promisify(execFile)(redocly, ['lint', 'openapi.json', '--format', 'json'], {
        cwd: directory,
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      });
      const report = JSON.parse(stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; severity: string }[] };
      expect(report.problems.filter((problem) => problem.severity === 'error')).toEqual([]);
      expect(report.totals.errors).toBe(0);
      // The only warnings left: the probes and two public reads can answer no 4xx at all.
      expect(report.problems.every((problem) => problem.ruleId === 'operation-4xx-response')).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('documents every error code a route can answer, with its status, and the headers that go with them', () => {
    const documented = new Set<string>();
    for (const methods of Object.values(document.paths)) {
      for (const op of Object.values(methods as Record<string, { responses: Record<string, { description: string }> }>)) {
        for (const [status, response] of Object.entries(op.responses)) {
          for (const [, code] of response.description.matchAll(/`([a-z_]+)`/g)) {
            expect(errorStatus[code as ErrorCode], `${code} documented under ${status}`).toBe(Number(status));
            documented.add(code!);
          }
        }
      }
    }
    // Answered outside any route's own contract: a method a path does not have, a malformed request, a bug.
    const routeIndependent = ['method_not_allowed', 'bad_request', 'internal_error'];
    expect([...documented].sort()).toEqual(Object.keys(errorStatus).filter((code) => !routeIndependent.includes(code)).sort());
    const holds = document.paths['/api/events/{eventId}/holds'].post;
    expect(Object.keys(holds.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '413', '415', '429', '503']);
    expect(holds.responses['429'].headers['Retry-After']).toBeDefined();
    expect(holds.responses['503'].headers['Retry-After']).toBeDefined();
    expect(holds.security).toEqual([{ session: [] }]);
    expect(document.paths['/api/events'].get.security).toEqual([]);
    const seats = document.paths['/api/events/{eventId}/seats'].get.responses;
    expect(Object.keys(seats['304'].headers)).toContain('ETag');
    expect(Object.keys(document.paths['/api/holds/{holdId}/purchase'].post.responses['201'].headers)).toContain('Idempotent-Replayed');
    expect(Object.keys(document.paths['/api/auth/login'].post.responses['200'].headers)).toContain('Set-Cookie');
  });

  it('flags an answer that breaks it: an undocumented status, a wrong body, a missing header', () => {
    const json = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', 'cache-control': 'no-store' });
    const answer = { method: 'GET', path: '/api/events/7', headers: json };
    expect(contractProblems({ ...answer, status: 500, text: '{}' })).toEqual([expect.stringContaining('status not documented')]);
    expect(contractProblems({ ...answer, status: 200, text: '{"event":{"id":7}}' })).toEqual([expect.stringContaining('does not match')]);
    expect(contractProblems({ ...answer, status: 404, text: '{"error":{"code":"not_found","message":"No such event."}}' })).toEqual([]);
    const notFound = '{"error":{"code":"not_found","message":"x"}}';
    expect(contractProblems({ ...answer, status: 404, headers: new Headers({ 'content-type': 'application/json', 'cache-control': 'no-store' }), text: notFound })).toEqual([
      expect.stringContaining('X-Request-Id'),
    ]);
    const cacheable = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r', 'cache-control': 'public, max-age=60' });
    expect(contractProblems({ ...answer, status: 404, headers: cacheable, text: notFound })).toEqual([expect.stringContaining('Cache-Control')]);
    expect(contractProblems({ ...answer, path: '/api/nowhere', status: 404, text: 'Not Found' })).toEqual([expect.stringContaining('expected {"error"')]);
  });
});

describe('the request limits it states are the ones the API applies', () => {
  it('accepts the largest hold request it allows (5,000 ten-digit ids fit the 64 KB body limit), and refuses repeats as it says', async () => {
    const { eventId } = await createEvent(admin);
    const buyer = (await newBuyer(api.url)).client;
    const schema = document.paths['/api/events/{eventId}/holds'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.seatIds).toMatchObject({ uniqueItems: true, maxItems: 5_000, items: { maximum: 4_294_967_295 } });
    const largest = Array.from({ length: schema.properties.seatIds.maxItems }, (_, i) => 4_294_967_295 - i);
    const accepted = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: largest });
    // Past validation and the body limit: the gate itself answers (these seats are not the event's).
    expect(accepted.status).toBe(400);
    expect(accepted.body.error.code).toBe('unknown_seats');
    const tooMany = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [...largest, 1] });
    expect(tooMany.body.error.code).toBe('validation_failed');
    const repeated = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [5, 5] });
    expect(repeated.body.error.code).toBe('validation_failed');
  });

  it('counts text in characters as the document does, and refuses blank text as its pattern says', async () => {
    const schema = document.paths['/api/admin/events'].post.requestBody.content['application/json'].schema;
    expect(schema.properties.name).toMatchObject({ maxLength: 255, pattern: '\\S' });
    const event = (name: string) => ({
      name,
      venue: 'Arena',
      startsAt: '2030-06-01T20:00:00Z',
      onSaleAt: '2030-01-01T10:00:00Z',
      sections: [{ name: '🎫'.repeat(64), rows: 1, seatsPerRow: 1, priceCents: 100 }],
    });
    const longest = await admin.post('/api/admin/events', event('🎸'.repeat(255)));
    expect(longest.status).toBe(201);
    expect(longest.body.event.name).toBe('🎸'.repeat(255));
    expect((await admin.post('/api/admin/events', event('🎸'.repeat(256)))).body.error.code).toBe('validation_failed');
    expect((await admin.post('/api/admin/events', event(' \t '))).body.error.code).toBe('validation_failed');
  });
});
