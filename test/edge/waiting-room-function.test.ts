import * as nodeCrypto from 'node:crypto';
import { runInNewContext } from 'node:vm';
import * as espree from 'espree';
import { describe, expect, it } from 'vitest';
import { buildWaitingRoomFunction, functionCodeLimit } from '../../edge/waiting-room/build.ts';
import { arrivalScores, type RoomRecord } from '../../shared/waiting-room.ts';
import { RoomTokens } from '../../app/infra/room-tokens.ts';
import { contractProblems } from '../support/contract.ts';

const code = buildWaitingRoomFunction();
const tokens = new RoomTokens(['edge-test-key-0123456789abcdef0123456789', 'older-key-0123456789abcdef0123456789abc']);

interface CloudFrontResponse {
  statusCode: number;
  headers: Record<string, { value: string }>;
  body: { encoding: string; data: string };
}
type Handler = (event: unknown) => Promise<CloudFrontResponse | { uri: string }>;

/** Loads the built function as CloudFront would: `cloudfront` gives the KeyValueStore, `crypto` is required. */
function load(store: Record<string, unknown>): Handler {
  const kvs = {
    async get(key: string, options?: { format?: string }) {
      if (!(key in store)) throw new Error(`Key ${key} not found`);
      return options?.format === 'json' ? JSON.parse(JSON.stringify(store[key])) : String(store[key]);
    },
  };
  const context: Record<string, unknown> = { cf: { kvs: () => kvs }, require: (name: string) => (name === 'crypto' ? nodeCrypto : undefined) };
  runInNewContext(code.replace("import cf from 'cloudfront';", ''), context);
  return context.handler as Handler;
}

/** A viewer-request event as CloudFront Functions documents it. */
function viewerRequest(method: string, uri: string, cookies: Record<string, string> = {}) {
  return {
    version: '1.0',
    context: { distributionDomainName: 'd111111abcdef8.cloudfront.net', distributionId: 'EDFDVBD6EXAMPLE', eventType: 'viewer-request', requestId: 'req-4TyzHTaYWb1GX1qTfsHhEqV6HUDd_BzoBZnwfnvQc_1oF26ClkoUSEQ==' },
    viewer: { ip: '198.51.100.11' },
    request: {
      method,
      uri,
      querystring: {},
      headers: { host: { value: 'tickets.example.com' }, accept: { value: 'application/json' } },
      cookies: Object.fromEntries(Object.entries(cookies).map(([name, value]) => [name, { value }])),
    },
  };
}

/** The function's own answer, as a client receives it: held to the OpenAPI contract like every other answer. */
function received(method: string, path: string, response: CloudFrontResponse) {
  const headers = new Headers(Object.entries(response.headers).map(([name, { value }]) => [name, value]));
  const answer = { method, path, status: response.statusCode, headers, text: response.body.data };
  expect(contractProblems(answer)).toEqual([]);
  return JSON.parse(response.body.data);
}

const now = Date.now();
const room = (overrides: Partial<RoomRecord> = {}): RoomRecord => ({ on: 1, op: now - 120_000, os: now - 60_000, s: arrivalScores + 100, p: 0, r: 600, t: 60, ...overrides });
const store = (record: RoomRecord | null, eventId = 7) => ({ 'room.keys': tokens.keys, ...(record ? { [`room.${eventId}`]: record } : {}) });
const admission = (eventId: number, expiresAt = now + 60_000) => tokens.admission({ eventId, userId: 42, expiresAt, used: true });
const place = (eventId: number, score: number) => tokens.place({ eventId, userId: 42, score, expiresAt: now + 86_400_000 });

describe('the waiting-room CloudFront Function', () => {
  it('is under 10 KB and uses only syntax cloudfront-js-2.0 runs (no classes, for-of, destructuring, spread, ?. or ??)', () => {
    expect(Buffer.byteLength(code)).toBeLessThan(functionCodeLimit);
    const ast = espree.parse(code, { ecmaVersion: 2017, sourceType: 'module' });
    const forbidden = new Set(['ClassDeclaration', 'ClassExpression', 'ForOfStatement', 'ObjectPattern', 'ArrayPattern', 'AssignmentPattern',
      'SpreadElement', 'RestElement', 'ExportNamedDeclaration', 'ExportDefaultDeclaration', 'TaggedTemplateExpression']);
    const found: string[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== 'object') return;
      const { type } = node as { type?: string };
      if (type && forbidden.has(type)) found.push(type);
      if (type === 'FunctionDeclaration' && (node as { generator?: boolean }).generator) found.push('generator');
      for (const value of Object.values(node)) if (typeof value === 'object') walk(value);
    };
    walk(ast);
    expect(found).toEqual([]);
    expect(code.match(/^import .*$/gm)).toEqual(["import cf from 'cloudfront';"]);
  });

  it('passes every request the room does not gate, and every request of an event without an active room', async () => {
    const handler = load(store(room()));
    for (const [method, uri] of [['GET', '/api/events'], ['GET', '/api/events/7'], ['POST', '/api/events/7/queue'], ['GET', '/index.html'], ['DELETE', '/api/holds/7-AAAAAAAAAAAAAAAAAAAAAA']]) {
      expect(await handler(viewerRequest(method!, uri!))).toMatchObject({ uri });
    }
    expect(await load(store(null))(viewerRequest('GET', '/api/events/7/seats'))).toMatchObject({ uri: '/api/events/7/seats' });
    expect(await load(store(room({ on: 0 })))(viewerRequest('GET', '/api/events/7/seats'))).toMatchObject({ uri: '/api/events/7/seats' });
    expect(await load(store(room({ op: now + 60_000 })))(viewerRequest('GET', '/api/events/7/seats'))).toMatchObject({ uri: '/api/events/7/seats' });
  });

  it('answers 403 queue_required on the seat map, holds and purchases without a valid admission, and passes a valid one (signed by the API)', async () => {
    const handler = load(store(room()));
    const routes: [string, string][] = [['GET', '/api/events/7/seats'], ['POST', '/api/events/7/holds'], ['POST', '/api/holds/7-Yx3k8b2Qn5sVt0LmWc1aZe/purchase']];
    const invalid: Record<string, string | undefined> = {
      none: undefined,
      forged: admission(7).slice(0, -1) + (admission(7).endsWith('A') ? 'B' : 'A'),
      expired: admission(7, now - 1),
      'for another event': admission(8),
      'a place, not an admission': place(7, 1),
      'signed with an unknown key': new RoomTokens(['unknown-key-0123456789abcdef0123456789']).admission({ eventId: 7, userId: 42, expiresAt: now + 60_000, used: true }),
    };
    for (const [method, uri] of routes) {
      for (const [what, token] of Object.entries(invalid)) {
        const response = (await handler(viewerRequest(method, uri, token ? { 'tk.adm.7': token } : {}))) as CloudFrontResponse;
        expect(response.statusCode, `${method} ${uri}: ${what}`).toBe(403);
        expect(received(method, uri, response).error).toMatchObject({ code: 'queue_required', details: { queueUrl: '/api/events/7/queue' } });
        expect(response.headers['x-request-id']!.value).toMatch(/^req-/);
      }
      expect(await handler(viewerRequest(method, uri, { 'tk.adm.7': admission(7) }))).toMatchObject({ uri });
    }
    // A token signed with the older key still verifies (keys rotate).
    const older = new RoomTokens([tokens.keys[1]!]).admission({ eventId: 7, userId: 42, expiresAt: now + 60_000, used: true });
    expect(await handler(viewerRequest('GET', '/api/events/7/seats', { 'tk.adm.7': older }))).toMatchObject({ uri: '/api/events/7/seats' });
  });

  it('answers the polls of waiting buyers from the watermark, and sends the poll whose turn came (or without a place) to the API', async () => {
    const handler = load(store(room({ s: arrivalScores + 100 })));
    const waiting = (await handler(viewerRequest('GET', '/api/events/7/queue', { 'tk.place.7': place(7, arrivalScores + 150) }))) as CloudFrontResponse;
    expect(waiting.statusCode).toBe(200);
    const body = received('GET', '/api/events/7/queue', waiting);
    expect(body.queue).toMatchObject({ status: 'waiting', eventId: 7, position: 51, estimatedWaitSeconds: 6 });
    expect(waiting.headers['retry-after']!.value).toBe(String(body.queue.pollAfterSeconds));

    const polls: Record<string, string>[] = [{ 'tk.place.7': place(7, arrivalScores + 99) }, {}, { 'tk.place.7': place(8, arrivalScores + 150) }];
    for (const cookies of polls) {
      expect(await handler(viewerRequest('GET', '/api/events/7/queue', cookies))).toMatchObject({ uri: '/api/events/7/queue' });
    }
  });

  it('tells a pre-queue buyer before the on-sale that places are drawn at the on-sale, and estimates pre-queue positions after it', async () => {
    const before = load(store(room({ os: now + 600_000, s: 0, p: 1000 })));
    const early = (await before(viewerRequest('GET', '/api/events/7/queue', { 'tk.place.7': place(7, 2 ** 47) }))) as CloudFrontResponse;
    expect(received('GET', '/api/events/7/queue', early).queue).toMatchObject({ status: 'waiting', position: null, estimatedWaitSeconds: null, pollAfterSeconds: 30 });

    // Half the scores lie below 2^47: with 1,000 pre-queue places and none reached, about 500 are ahead.
    const after = load(store(room({ s: 0, p: 1000 })));
    const drawn = (await after(viewerRequest('GET', '/api/events/7/queue', { 'tk.place.7': place(7, 2 ** 47) }))) as CloudFrontResponse;
    expect(received('GET', '/api/events/7/queue', drawn).queue.position).toBe(501);
  });
});
