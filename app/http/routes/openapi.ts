import type Router from '@koa/router';
import { z } from 'zod';
import type { AppState } from '../context.ts';
import { createEventBody, holdBody, loginBody, registerBody } from '../schemas.ts';

type Operation = { summary: string; body?: z.ZodType; auth?: boolean; responses: Record<number, string>; raw?: string };

const errorCodes = '4xx/5xx: {"error":{"code","message","details"?}}';

/** Every route of the API. A test compares this list with the router, so a new route cannot go undocumented. */
export const operations: Record<string, Record<string, Operation>> = {
  '/healthz': { get: { summary: 'Liveness (no dependencies)', responses: { 200: 'alive' } } },
  '/readyz': { get: { summary: 'Readiness: start-up done, MySQL and Redis answer', responses: { 200: 'ready', 503: 'not ready' } } },
  '/api/openapi.json': { get: { summary: 'This document', responses: { 200: 'OpenAPI 3.1' } } },
  '/api/auth/register': { post: { summary: 'Create a buyer account (does not log in)', body: registerBody, responses: { 201: '{user}', 409: 'email_taken' } } },
  '/api/auth/login': { post: { summary: 'Log in; sets the session cookie', body: loginBody, responses: { 200: '{user}', 401: 'invalid_credentials', 429: 'rate_limited' } } },
  '/api/auth/logout': { post: { summary: 'Log out', responses: { 204: 'logged out' } } },
  '/api/me': { get: { summary: 'The logged-in user', auth: true, responses: { 200: '{user}', 401: 'unauthenticated' } } },
  '/api/session': { get: { summary: 'Who is logged in, if anyone (never cached)', responses: { 200: '{user} or {user: null}' } } },
  '/api/events': { get: { summary: 'Events with poster URL and seat counts', responses: { 200: '{events}' } } },
  '/api/events/{eventId}': { get: { summary: 'One event', responses: { 200: '{event}', 404: 'not_found' } } },
  '/api/events/{eventId}/seats': { get: { summary: 'Every seat with status available|held|sold', responses: { 200: '{seats}', 404: 'not_found' } } },
  '/api/events/{eventId}/holds': {
    post: {
      summary: 'Hold seats, all or nothing, until expiresAt',
      body: holdBody,
      auth: true,
      responses: { 201: '{hold}', 400: 'unknown_seats | validation_failed', 409: 'seats_unavailable | seat_limit_exceeded | not_on_sale', 429: 'rate_limited' },
    },
  },
  '/api/holds/{holdId}': {
    get: { summary: 'One of my holds', auth: true, responses: { 200: '{hold}', 404: 'not_found' } },
    delete: { summary: 'Release one of my holds', auth: true, responses: { 204: 'released', 404: 'not_found', 409: 'hold_purchased' } },
  },
  '/api/holds/{holdId}/purchase': {
    post: {
      summary: 'Buy a held set of seats; requires an Idempotency-Key header',
      auth: true,
      responses: {
        201: '{order} (a replay of the same key answers the same order)',
        400: 'idempotency_key_required',
        404: 'not_found',
        409: 'idempotency_key_reused | request_in_progress | hold_purchased | seats_unavailable',
        410: 'hold_expired',
      },
    },
  },
  '/api/orders': { get: { summary: 'All my orders', auth: true, responses: { 200: '{orders}' } } },
  '/api/orders/{orderId}': { get: { summary: 'One of my orders', auth: true, responses: { 200: '{order}', 404: 'not_found' } } },
  '/api/admin/events': { post: { summary: 'Create an event and its seat map (organizer)', body: createEventBody, auth: true, responses: { 201: '{event}', 403: 'forbidden' } } },
  '/api/admin/events/{eventId}/poster': {
    put: {
      summary: 'Upload the poster (image body, at most 10 MB) to S3 (organizer)',
      raw: 'image/*',
      auth: true,
      responses: { 200: '{posterUrl, event}', 413: 'payload_too_large', 415: 'unsupported_media_type' },
    },
  },
};

export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, methods] of Object.entries(operations)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) {
      const parameters = [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      if (path.endsWith('/purchase')) parameters.push({ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } });
      paths[path][method] = {
        summary: op.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(op.auth ? { security: [{ session: [] }] } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(op.body, { io: 'input', unrepresentable: 'any' }) } } } } : {}),
        ...(op.raw ? { requestBody: { required: true, content: { [op.raw]: { schema: { type: 'string', format: 'binary' } } } } } : {}),
        responses: Object.fromEntries(
          Object.entries(op.responses).map(([status, description]) => [status, { description }]),
        ),
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ticketkit API', version: '1.0.0', description: `Errors: ${errorCodes}` },
    components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tk.sid' } } },
    paths,
  };
}

export function openApiRoute(router: Router<AppState>): void {
  const document = openApiDocument();
  router.get('/api/openapi.json', (ctx) => {
    ctx.body = document;
  });
}
