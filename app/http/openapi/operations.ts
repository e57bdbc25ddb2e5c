import { z } from 'zod';
import type { ErrorCode } from '../../errors.ts';
import { posterSizeLimit, posterTypes } from '../../services/organize-events.ts';
import {
  eventBody,
  eventDetailBody,
  eventsBody,
  holdBody as holdAnswer,
  holdIdSchema,
  holdViewBody,
  livenessBody,
  orderBody,
  ordersBody,
  posterBody,
  queueBody,
  readinessBody,
  seatMapBody,
  sessionBody,
  userBody,
  waitingRoomBody,
} from '../response-schemas.ts';
import { createEventBody, holdBody, idempotencyKey, loginBody, registerBody, waitingRoomSettings } from '../schemas.ts';

/** Who may call an operation: anyone, a logged-in buyer (session cookie), or an organizer. */
export type Access = 'public' | 'buyer' | 'organizer';

export type Tag = 'Health' | 'Accounts' | 'Events' | 'Queue' | 'Holds' | 'Orders' | 'Organizer' | 'Meta';

/** A non-error answer of an operation. */
export interface Answer {
  description: string;
  body?: z.ZodType;
  /** Response headers: required unless `.optional()`. */
  headers?: z.ZodObject;
}

/**
 * One route of the API as documented. `document.ts` adds what every route of its kind can answer
 * (503 on /api/, 403 csrf_rejected on state changes, 401 on signed-in routes, 400/413/415 on JSON bodies,
 * 404 on paths with ids), so `errors` lists only what the route itself decides.
 */
export interface Operation {
  operationId: string;
  summary: string;
  description?: string;
  tag: Tag;
  access: Access;
  path?: z.ZodObject;
  /** Request headers. */
  headers?: z.ZodObject;
  /** A JSON request body (at most 64 KB). */
  json?: z.ZodType;
  /** A raw upload: its media types and size limit. */
  upload?: { mediaTypes: readonly string[]; maxBytes: number };
  answers: Record<number, Answer>;
  errors?: ErrorCode[];
}

const eventId = z.number().int().min(1).max(4_294_967_295).meta({ description: 'An event id', examples: [7] });
const orderId = z.number().int().min(1).max(4_294_967_295).meta({ description: 'An order id', examples: [42] });
const eventPath = z.object({ eventId });
const holdPath = z.object({ holdId: holdIdSchema });

const setCookie = z
  .string()
  .meta({
    description:
      'The session cookie `tk.sid` (httpOnly, SameSite=Lax, Secure over HTTPS) and its signature `tk.sid.sig`; at login also ' +
      '`tk.device` (+ `.sig`: httpOnly, SameSite=Strict, Path=/api/auth/login, 180 days), which marks this browser as one that logged in to the account.',
  });
const etag = z.string().meta({ description: 'Weak validator of the seat map; send it back in If-None-Match.' });
const cacheControl = (value: string) => z.string().meta({ description: `\`${value}\``, examples: [value] });
const admissionCookie = z.string().optional().meta({
  description:
    'While the event’s waiting room is open: the renewed admission `tk.adm.<eventId>` (httpOnly, SameSite=Lax, Path=/api), sent when this request kept it alive.',
});
const queueCookies = z.string().optional().meta({
  description:
    'The signed place `tk.place.<eventId>` (Path=/api/events/<eventId>/queue; the edge answers polls from it) and, with the answer that admits, ' +
    'the admission `tk.adm.<eventId>` (Path=/api) that the seat map, holds and purchases require.',
});
const pollAfter = z.string().regex(/^\d+$/).meta({ description: 'Seconds until the next poll: pollAfterSeconds.', examples: ['10'] });
const roomGate =
  ' While the event’s waiting room is open (from its opensAt), a buyer needs an admission from the queue for this event and this account ' +
  '(the `tk.adm.<eventId>` cookie), or it answers 403 `queue_required` with the queue’s URL.';

/** Every route of the API. A test compares this table with the router, so a route cannot go undocumented. */
export const operations: Record<string, Partial<Record<'get' | 'post' | 'put' | 'delete', Operation>>> = {
  '/healthz': {
    get: {
      operationId: 'checkLiveness',
      summary: 'Liveness: the process answers (no dependencies)',
      tag: 'Health',
      access: 'public',
      answers: { 200: { description: 'Alive', body: livenessBody } },
    },
  },
  '/readyz': {
    get: {
      operationId: 'checkReadiness',
      summary: 'Readiness: start-up done, MySQL and Redis answer',
      description: 'The load balancer sends traffic only to instances answering 200; a draining instance answers 503.',
      tag: 'Health',
      access: 'public',
      answers: {
        200: { description: 'Ready', body: readinessBody },
        503: { description: 'Not ready: starting, draining, or a dependency is down', body: readinessBody },
      },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      tag: 'Meta',
      access: 'public',
      answers: { 200: { description: 'OpenAPI 3.1', body: z.looseObject({ openapi: z.literal('3.1.0') }) } },
    },
  },
  '/api/auth/register': {
    post: {
      operationId: 'register',
      summary: 'Create a buyer account (does not log in)',
      tag: 'Accounts',
      access: 'public',
      json: registerBody,
      description:
        'The account can log in at once (the kit sends no email). `email_taken` tells whether an address is registered: ' +
        'without email confirmation that cannot be hidden, so registrations are limited per client address (REGISTER_RATE_LIMIT_PER_IP).',
      answers: { 201: { description: 'The new account', body: userBody } },
      errors: ['name_invalid', 'email_invalid', 'password_invalid', 'password_common', 'email_taken', 'rate_limited'],
    },
  },
  '/api/auth/login': {
    post: {
      operationId: 'logIn',
      summary: 'Log in; sets the session cookie',
      description:
        'A new session id is issued at every login (an id planted before login is worth nothing after it). ' +
        'After LOGIN_THROTTLE_FAILURES failed logins for one account, from any address, logins to it answer ' +
        '`login_throttled` for a wait that grows per failure; a browser that logged in to the account before ' +
        '(its `tk.device` cookie) keeps its own count. Failed logins per client address are limited too (`rate_limited`).',
      tag: 'Accounts',
      access: 'public',
      json: loginBody,
      answers: { 200: { description: 'Logged in', body: userBody, headers: z.object({ 'Set-Cookie': setCookie }) } },
      errors: ['invalid_credentials', 'rate_limited', 'login_throttled'],
    },
  },
  '/api/auth/logout': {
    post: {
      operationId: 'logOut',
      summary: 'Log out (ends the session; harmless without one)',
      tag: 'Accounts',
      access: 'public',
      answers: { 204: { description: 'Logged out', headers: z.object({ 'Set-Cookie': setCookie.optional() }) } },
    },
  },
  '/api/me': {
    get: {
      operationId: 'getMe',
      summary: 'The logged-in user',
      tag: 'Accounts',
      access: 'buyer',
      answers: { 200: { description: 'The user of the session', body: userBody } },
    },
  },
  '/api/session': {
    get: {
      operationId: 'getSession',
      summary: 'Who is logged in, if anyone',
      description: 'Like getMe, but answers 200 with `user: null` when nobody is logged in (a page asks this on every load).',
      tag: 'Accounts',
      access: 'public',
      answers: { 200: { description: 'The user of the session, or null', body: sessionBody, headers: z.object({ 'Cache-Control': cacheControl('no-store') }) } },
    },
  },
  '/api/events': {
    get: {
      operationId: 'listEvents',
      summary: 'Events with poster URL and seat counts',
      tag: 'Events',
      access: 'public',
      answers: { 200: { description: 'Every event', body: eventsBody } },
    },
  },
  '/api/events/{eventId}': {
    get: {
      operationId: 'getEvent',
      summary: 'One event',
      tag: 'Events',
      access: 'public',
      path: eventPath,
      answers: { 200: { description: 'The event', body: eventDetailBody } },
    },
  },
  '/api/events/{eventId}/seats': {
    get: {
      operationId: 'getSeatMap',
      summary: 'Every seat with its status now',
      description: `Poll with If-None-Match: an unchanged map answers 304 with no body.${roomGate}`,
      tag: 'Events',
      access: 'public',
      path: eventPath,
      headers: z.object({ 'If-None-Match': z.string().optional().meta({ description: 'The ETag of the map the client has' }) }),
      answers: {
        200: {
          description: 'The seat map',
          body: seatMapBody,
          headers: z.object({ ETag: etag, 'Cache-Control': cacheControl('private, no-cache'), 'Set-Cookie': admissionCookie }),
        },
        304: {
          description: 'Unchanged since If-None-Match',
          headers: z.object({ ETag: etag, 'Cache-Control': cacheControl('private, no-cache'), 'Set-Cookie': admissionCookie }),
        },
      },
      errors: ['queue_required'],
    },
  },
  '/api/events/{eventId}/queue': {
    post: {
      operationId: 'joinQueue',
      summary: 'Take a place in the event’s waiting room (again: the same place)',
      description:
        'One place per account and event. Before the on-sale every place is drawn at random at the on-sale (joining first gives no advantage); ' +
        'after it, places follow arrival order. Joining again answers the same place, unless the turn lapsed unused (`expired`): then a new place ' +
        'at the back. Behind AWS WAF the page first solves its CAPTCHA and sends the token as `x-aws-waf-token` (WAF checks it; the API does not).',
      tag: 'Queue',
      access: 'buyer',
      path: eventPath,
      headers: z.object({ 'x-aws-waf-token': z.string().optional().meta({ description: 'AWS WAF’s CAPTCHA token, where the deployment has WAF.' }) }),
      answers: { 200: { description: 'Your place', body: queueBody, headers: z.object({ 'Retry-After': pollAfter, 'Set-Cookie': queueCookies }) } },
    },
    get: {
      operationId: 'getQueueStatus',
      summary: 'Your place: position, estimated wait, or the admission',
      description:
        'Poll after pollAfterSeconds (Retry-After). On AWS a CloudFront Function answers the polls of buyers still waiting from a published ' +
        'watermark, so only the poll that admits reaches the API; the answer that admits sets the admission cookie. 404 until you joined.',
      tag: 'Queue',
      access: 'buyer',
      path: eventPath,
      answers: { 200: { description: 'Your place', body: queueBody, headers: z.object({ 'Retry-After': pollAfter, 'Set-Cookie': queueCookies }) } },
    },
  },
  '/api/events/{eventId}/holds': {
    post: {
      operationId: 'holdSeats',
      summary: 'Hold seats, all or nothing, until expiresAt',
      description: `A hold keeps the buyer's waiting-room admission at least until the hold ends.${roomGate}`,
      tag: 'Holds',
      access: 'buyer',
      path: eventPath,
      json: holdBody,
      answers: {
        201: { description: 'All requested seats are held for this buyer', body: holdAnswer, headers: z.object({ 'Set-Cookie': admissionCookie }) },
      },
      errors: ['unknown_seats', 'seats_unavailable', 'seat_limit_exceeded', 'not_on_sale', 'rate_limited', 'queue_required'],
    },
  },
  '/api/holds/{holdId}': {
    get: {
      operationId: 'getHold',
      summary: 'One of my holds, with its status',
      tag: 'Holds',
      access: 'buyer',
      path: holdPath,
      answers: { 200: { description: 'The hold', body: holdViewBody } },
    },
    delete: {
      operationId: 'releaseHold',
      summary: 'Release one of my holds (again: no-op)',
      tag: 'Holds',
      access: 'buyer',
      path: holdPath,
      answers: { 204: { description: 'Released; the seats are free at once' } },
      errors: ['hold_purchased', 'request_in_progress'],
    },
  },
  '/api/holds/{holdId}/purchase': {
    post: {
      operationId: 'purchaseHold',
      summary: 'Buy a held set of seats',
      description:
        `Send one Idempotency-Key per purchase attempt and reuse it on every retry: a retry (on any instance) answers the same order.${roomGate}`,
      tag: 'Holds',
      access: 'buyer',
      path: holdPath,
      headers: z.object({ 'Idempotency-Key': idempotencyKey }),
      answers: {
        201: {
          description: 'The order, committed to the ledger',
          body: orderBody,
          headers: z.object({
            'Idempotent-Replayed': z.literal('true').optional().meta({ description: 'Present when this answer repeats an earlier purchase made with the same key' }),
            'Set-Cookie': admissionCookie,
          }),
        },
      },
      errors: [
        'idempotency_key_required', 'idempotency_key_reused', 'request_in_progress', 'hold_purchased', 'seats_unavailable', 'hold_expired', 'queue_required',
      ],
    },
  },
  '/api/orders': {
    get: {
      operationId: 'listOrders',
      summary: 'My orders with their tickets, newest first',
      tag: 'Orders',
      access: 'buyer',
      answers: { 200: { description: 'The buyer’s orders', body: ordersBody } },
    },
  },
  '/api/orders/{orderId}': {
    get: {
      operationId: 'getOrder',
      summary: 'One of my orders',
      tag: 'Orders',
      access: 'buyer',
      path: z.object({ orderId }),
      answers: { 200: { description: 'The order', body: orderBody } },
    },
  },
  '/api/admin/events': {
    post: {
      operationId: 'createEvent',
      summary: 'Create an event and its seat map from sections',
      tag: 'Organizer',
      access: 'organizer',
      json: createEventBody,
      answers: { 201: { description: 'The new event', body: eventBody } },
    },
  },
  '/api/admin/events/{eventId}/poster': {
    put: {
      operationId: 'uploadPoster',
      summary: 'Upload the event’s poster to S3',
      description: 'The image format is read from the file’s bytes, not its Content-Type; the body is streamed, never buffered.',
      tag: 'Organizer',
      access: 'organizer',
      path: eventPath,
      upload: { mediaTypes: posterTypes, maxBytes: posterSizeLimit },
      answers: { 200: { description: 'Uploaded; the event points at it', body: posterBody } },
      errors: ['payload_too_large', 'unsupported_media_type'],
    },
  },
  '/api/admin/events/{eventId}/waiting-room': {
    put: {
      operationId: 'setWaitingRoom',
      summary: 'Set the event’s waiting room',
      description:
        'Every instance applies a change within a second. opensAt is not after the event’s onSaleAt. A rate or cap change counts from now on; ' +
        'disabling the room opens the seats to everyone.',
      tag: 'Organizer',
      access: 'organizer',
      path: eventPath,
      json: waitingRoomSettings,
      answers: { 200: { description: 'The room, with its queue now', body: waitingRoomBody } },
    },
    get: {
      operationId: 'getWaitingRoom',
      summary: 'The event’s waiting room and its queue now',
      tag: 'Organizer',
      access: 'organizer',
      path: eventPath,
      answers: { 200: { description: 'The room, with its queue now', body: waitingRoomBody } },
    },
  },
};
