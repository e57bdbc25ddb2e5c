import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponseObject } from 'zod-openapi';
import type { ErrorCode } from '../../errors.ts';
import { jsonBodyLimit } from '../middleware/json-body.ts';
import { byStatus, errorBody } from './error-bodies.ts';
import { operations, type Answer, type Operation, type Tag } from './operations.ts';

const tags: Record<Tag, string> = {
  Health: 'Probes of the load balancer; outside /api/, never behind the readiness gate.',
  Accounts: 'Registration, login and the session cookie.',
  Events: 'The catalog and live seat maps, open to anyone.',
  Queue: 'The virtual waiting room of an on-sale: a fair place in line, and admission at a rate the platform can serve.',
  Holds: 'Holding seats and buying them: the on-sale path.',
  Orders: 'A buyer’s orders and tickets.',
  Organizer: 'Creating events and their posters (organizer accounts only).',
  Meta: 'About the API itself.',
};

const requestId = z
  .string()
  .meta({ description: 'The request’s id (the load balancer’s, or a new one): quote it when reporting a problem.', header: { id: 'RequestId' } });
const retryAfter = z
  .string()
  .regex(/^\d+$/)
  .meta({ description: 'Seconds to wait before retrying', examples: ['1'], header: { id: 'RetryAfter' } });

/** What every route of a kind can answer, on top of what it decides itself (see `Operation`). */
function errorCodesOf(path: string, method: string, op: Operation): ErrorCode[] {
  const codes: ErrorCode[] = [...(op.errors ?? [])];
  if (op.path) codes.push('not_found');
  if (op.json) codes.push('validation_failed', 'invalid_json', 'payload_too_large', 'unsupported_media_type');
  if (op.access !== 'public') codes.push('unauthenticated');
  if (op.access === 'organizer') codes.push('forbidden');
  if (method !== 'get') codes.push('csrf_rejected');
  // /api/ answers 503 while the instance starts or a dependency is down; the probes are outside that gate.
  if (path.startsWith('/api/')) codes.push('service_unavailable');
  return codes;
}

const noStore = z
  .literal('no-store')
  .meta({ description: 'API answers are never stored by caches unless the route says otherwise', header: { id: 'NoStore' } });

/** Headers every answer of `path` carries: the request id, and under /api/ a Cache-Control (no-store unless a route sets its own). */
const commonHeaders = (path: string) => ({ 'X-Request-Id': requestId, ...(path.startsWith('/api/') ? { 'Cache-Control': noStore } : {}) });

function answer(path: string, { description, body, headers }: Answer): ZodOpenApiResponseObject {
  return {
    description,
    headers: z.object({ ...commonHeaders(path), ...headers?.shape }),
    ...(body ? { content: { 'application/json': { schema: body } } } : {}),
  };
}

function errorAnswer(path: string, status: number, codes: ErrorCode[]): ZodOpenApiResponseObject {
  const waits = status === 429 || status === 503;
  return {
    description: codes.map((code) => `\`${code}\``).join(', '),
    headers: z.object({ ...commonHeaders(path), ...(waits ? { 'Retry-After': retryAfter } : {}) }),
    content: { 'application/json': { schema: errorBody(codes) } },
  };
}

function operationObject(path: string, method: string, op: Operation): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, success] of Object.entries(op.answers)) responses[status] = answer(path, success);
  for (const [status, codes] of byStatus(errorCodesOf(path, method, op))) {
    // A route's own answer for that status (readiness' 503 body) stays; otherwise the error body.
    responses[status] ??= errorAnswer(path, status, codes);
  }
  const limits = op.json ? ` The JSON body is at most ${jsonBodyLimit / 1024} KB (413 beyond).` : op.upload ? ` At most ${op.upload.maxBytes / 1024 / 1024} MB (413 beyond).` : '';
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description || limits ? { description: `${op.description ?? ''}${limits}`.trim() } : {}),
    tags: [op.tag],
    security: op.access === 'public' ? [] : [{ session: [] }],
    ...(op.path || op.headers ? { requestParams: { ...(op.path ? { path: op.path } : {}), ...(op.headers ? { header: op.headers } : {}) } } : {}),
    ...(op.json ? { requestBody: { required: true, content: { 'application/json': { schema: op.json } } } } : {}),
    ...(op.upload
      ? { requestBody: { required: true, content: Object.fromEntries(op.upload.mediaTypes.map((type) => [type, {}])) } }
      : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of the API, rendered from the zod schemas the routes validate and answer with. */
export function openApiDocument() {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const [path, methods] of Object.entries(operations)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(methods)) paths[path][method] = operationObject(path, method, op);
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'ticketkit API',
      version: '1.0.0',
      description:
        'The ticketing API: sessions in Redis, atomic seat holds, MySQL as the ledger. Every error is ' +
        '`{"error":{"code","message","details"?}}` with a stable `code`. State-changing requests from a browser ' +
        'must come from the site’s own origin (or ALLOWED_ORIGINS); API clients send no Origin and no CSRF token.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [{ url: '/', description: 'The origin that serves this document (the site, CloudFront or the load balancer).' }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'tk.sid', description: 'Set by logIn; signed (tk.sid.sig).' },
      },
    },
    paths,
  });
}
