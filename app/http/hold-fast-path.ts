import type { IncomingMessage, ServerResponse } from 'node:http';
import Cookies from 'cookies';
import type Koa from 'koa';
import { roomActive } from '../../shared/waiting-room.ts';
import type { Deps } from '../deps.ts';
import { holdSeats } from '../services/hold-seats.ts';
import { roomRecord } from '../services/queue-place.ts';
import { holdRequestSeatIds } from './hold-request.ts';
import type { HoldRateLimits } from './hold-rate-limits.ts';
import { originAllowed } from './middleware/csrf.ts';
import { errorAnswer } from './middleware/error-handler.ts';
import { isPlainJson, jsonBodyLimit, readJsonBody } from './middleware/json-body.ts';
import { elapsedMs, logRequest, requestIdOf } from './middleware/request-context.ts';
import { userStoredIn } from './middleware/require-user.ts';
import { strictTransportSecurityValue } from './middleware/strict-transport-security.ts';

/** Takes a request and answers it (true), or leaves it to the Koa app (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `POST /api/events/<id>/holds`, nothing else in the URL (a query string or an odd id goes to Koa, whose routes decide). */
const holdUrl = /^\/api\/events\/([1-9]\d{0,9})\/holds$/;
const maxId = 4_294_967_295;

/**
 * The on-sale's hot request, a buyer's hold attempt, answered without Koa's context, middleware chain and router
 * (about a fifth of an instance's CPU per hold in `bench:onsale`, docs/onsale.md). It takes only the common case,
 * decided from the headers before the body is read: instance ready, a plain JSON body within the limit, an
 * acceptable Origin, a session this instance's session cache holds (with its buyer) and an event whose waiting
 * room is not gating it. Everything else (no or unknown session, a cache miss, an open room, a strange body)
 * goes to the Koa route, which stays the one definition of every other answer. What it does is the Koa route's
 * own parts in the same order, shared, not copied: the request id and log line, the security headers, the
 * origin check (Koa's own request object judges protocol, host and client address), the hold limits, the body
 * reader, the body check, the hold service and the error answers; test/app/hold-fast-path.test.ts compares its
 * answers with the Koa route's.
 */
export function holdFastPath(
  deps: Deps,
  app: Koa,
  options: {
    isReady: () => boolean;
    allowedOrigins: Set<string>;
    sessionCookie: string;
    limits: HoldRateLimits;
    /** The Koa app's handler: a request the fast path turns down after all (its event's room is open). */
    fallback: (req: IncomingMessage, res: ServerResponse) => void;
  },
): FastPath {
  const { sessionCookie, allowedOrigins, limits, fallback } = options;
  const signatureCookie = `${sessionCookie}.sig`;
  const unsigned = { signed: false };

  const answer = async (req: IncomingMessage, res: ServerResponse, request: Koa.Request, eventId: number, userId: number) => {
    const started = performance.now();
    const { headers } = req;
    // The room's settings are cached in process for a second; an open room (or an unreadable one) is Koa's to judge.
    let room;
    try {
      room = await deps.rooms.settings.get(eventId);
    } catch {
      return fallback(req, res);
    }
    if (room && roomActive(roomRecord(room, 0, 0), Date.now())) return fallback(req, res);

    const requestId = requestIdOf(headers['x-request-id'] as string | undefined, headers['x-amzn-trace-id'] as string | undefined);
    let status = 201;
    let body: unknown;
    let retryAfter: string | undefined;
    try {
      if (limits.perIp) await limits.perIp(request.ip);
      if (limits.perUser) await limits.perUser(String(userId));
      const seatIds = holdRequestSeatIds(await readJsonBody(req));
      body = { hold: await holdSeats(deps, { eventId, userId, seatIds }) };
    } catch (error) {
      ({ status, body, retryAfter } = errorAnswer(error, deps.logger, deps.metrics, requestId));
    }
    const json = JSON.stringify(body);
    res.statusCode = status;
    res.setHeader('X-Request-Id', requestId);
    if (request.secure) res.setHeader('Strict-Transport-Security', strictTransportSecurityValue);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', Buffer.byteLength(json));
    res.setHeader('Cache-Control', 'no-store');
    res.end(json);
    logRequest(deps.logger, { requestId, method: 'POST', path: req.url!, status, ms: elapsedMs(started) });
  };

  return (req, res) => {
    if (req.method !== 'POST' || !options.isReady()) return false;
    const match = holdUrl.exec(req.url!);
    if (!match || Number(match[1]) > maxId) return false;
    const { headers } = req;
    if (!isPlainJson(headers) || Number(headers['content-length']) > jsonBodyLimit || headers['transfer-encoding'] !== undefined) return false;
    // Koa's request object alone, for Koa's reading of proxies (TRUST_PROXY), protocol, host and client address.
    const request = Object.create(app.request) as Koa.Request;
    Object.assign(request, { app, req });
    if (!originAllowed('POST', headers.origin, allowedOrigins, request)) return false;
    // Unsigned reads: the session cache holds a session only under the signature that was verified for it.
    const cookies = new Cookies(req, res);
    const sessionId = cookies.get(sessionCookie, unsigned);
    if (!sessionId) return false;
    const user = userStoredIn(deps.sessionCache.get(sessionId, cookies.get(signatureCookie, unsigned) ?? ''));
    if (!user) return false;
    answer(req, res, request, Number(match[1]), user.id).catch((error: unknown) => {
      // Only a fault of this code gets here (every expected failure is an answer above): no crash, no hang.
      deps.logger.error({ err: error }, 'unexpected error');
      if (res.headersSent) res.destroy();
      else {
        res.statusCode = 500;
        res.setHeader('Content-Type', 'application/json; charset=utf-8');
        res.end(JSON.stringify(errorAnswer(new Error('hold fast path'), deps.logger, deps.metrics, '').body));
      }
    });
    return true;
  };
}
