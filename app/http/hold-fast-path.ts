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
import { isPlainJson, jsonBodyLimit, readDeclaredJsonBody } from './middleware/json-body.ts';
import { elapsedMs, logRequest, requestIdOf } from './middleware/request-context.ts';
import { userStoredIn } from './middleware/require-user.ts';
import { sessionFromStore, type SessionSource } from './middleware/cached-session.ts';
import type { PublicUser } from '../services/auth.ts';
import { strictTransportSecurityValue } from './middleware/strict-transport-security.ts';

/** The request's session cookie, and its buyer when the session cache held it. */
interface SessionOfRequest {
  id: string;
  signature: string;
  cookies: Cookies;
  buyer: PublicUser | undefined;
}

/** Takes a request and answers it (true), or leaves it to the Koa app (false). */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

/** `POST /api/events/<id>/holds`, nothing else in the URL (a query string or an odd id goes to Koa, whose routes decide). */
const holdUrl = /^\/api\/events\/([1-9]\d{0,9})\/holds$/;
const maxId = 4_294_967_295;

/**
 * The on-sale's hot request, a buyer's hold attempt, answered without Koa's context, middleware chain and router
 * (about a fifth of an instance's CPU per hold in `bench:onsale`, docs/onsale.md). It takes only the common case,
 * decided before the body is read: instance ready, no query string, a plain `application/json` body within the
 * limit, an acceptable Origin, a session cookie whose session has its buyer (from the session cache, or read and
 * checked as the Koa route does) and an event whose waiting room is not gating it. Everything else goes to the
 * Koa route, which stays the one definition of every other answer. What the fast path does is the Koa route's
 * own parts in the same order, shared, not copied: the request id and log line, the security headers, the origin
 * check (Koa's own request object judges protocol, host and client address), the session read, the hold limits,
 * the body reader and check, the hold service and the error answers; test/app/hold-fast-path.test.ts compares
 * its answers with the Koa route's. A middleware added to the hold route (routes/holds.ts) or to the app's
 * chain in front of it (create-app.ts) must be added here too, or make the fast path hand such requests on.
 */
export function holdFastPath(
  deps: Deps,
  app: Koa,
  options: {
    isReady: () => boolean;
    allowedOrigins: Set<string>;
    sessionCookie: string;
    /** Where sessions live, for a session cookie the session cache does not hold. */
    sessions: SessionSource;
    limits: HoldRateLimits;
    /** The Koa app's handler: a request the fast path turns down after all (its event's room is open). */
    fallback: (req: IncomingMessage, res: ServerResponse) => void;
  },
): FastPath {
  const { sessionCookie, allowedOrigins, limits, fallback } = options;
  const names = { cookie: sessionCookie };
  const signatureCookie = `${sessionCookie}.sig`;
  const unsigned = { signed: false };

  /** The buyer of a session cookie the session cache missed; undefined: none (Koa answers that). */
  const buyerFromStore = async (cookies: Cookies, sessionId: string, signature: string) =>
    userStoredIn(await sessionFromStore(cookies, names, options.sessions, deps.sessionCache, sessionId, signature));

  const answer = async (req: IncomingMessage, res: ServerResponse, request: Koa.Request, eventId: number, session: SessionOfRequest) => {
    const started = performance.now();
    const { headers } = req;
    // Before the body is read, anything unusual still goes to Koa: no session or no buyer in it, an open room (the
    // room's settings are cached in process for a second), or Redis / MySQL failing to say (Koa answers the 503).
    let userId: number;
    try {
      const buyer = session.buyer ?? (await buyerFromStore(session.cookies, session.id, session.signature));
      if (!buyer) return fallback(req, res);
      userId = buyer.id;
      const room = await deps.rooms.settings.get(eventId);
      if (room && roomActive(roomRecord(room, 0, 0), Date.now())) return fallback(req, res);
    } catch {
      return fallback(req, res);
    }

    const requestId = requestIdOf(headers['x-request-id'] as string | undefined, headers['x-amzn-trace-id'] as string | undefined);
    let status = 201;
    let body: unknown;
    let retryAfter: string | undefined;
    try {
      if (limits.perIp) await limits.perIp(request.ip);
      if (limits.perUser) await limits.perUser(String(userId));
      const seatIds = holdRequestSeatIds(await readDeclaredJsonBody(req));
      body = { hold: await holdSeats(deps, { eventId, userId, seatIds }) };
    } catch (error) {
      ({ status, body, retryAfter } = errorAnswer(error, deps.logger, deps.metrics, requestId));
    }
    const json = JSON.stringify(body);
    // One flat list for writeHead: no header map per answer (headers set before, Connection: close while
    // draining or a renewed cookie signature, are merged by Node).
    const fields = ['X-Request-Id', requestId, 'X-Content-Type-Options', 'nosniff', 'Referrer-Policy', 'no-referrer',
      'Content-Type', 'application/json; charset=utf-8', 'Content-Length', String(Buffer.byteLength(json)), 'Cache-Control', 'no-store'];
    if (request.secure) fields.push('Strict-Transport-Security', strictTransportSecurityValue);
    if (retryAfter !== undefined) fields.push('Retry-After', retryAfter);
    res.writeHead(status, fields);
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
    // As Koa's ctx.cookies. Unsigned reads first: the session cache holds a session only under the signature
    // that was verified for it; a miss checks the signature (buyerFromStore).
    const cookies = new Cookies(req, res, { keys: app.keys as unknown as string[], secure: request.secure });
    const sessionId = cookies.get(sessionCookie, unsigned);
    if (!sessionId) return false;
    const signature = cookies.get(signatureCookie, unsigned) ?? '';
    const buyer = userStoredIn(deps.sessionCache.get(sessionId, signature));
    answer(req, res, request, Number(match[1]), { id: sessionId, signature, cookies, buyer }).catch((error: unknown) => {
      // Only a fault of this code gets here (every expected failure is an answer above): no crash, no hang.
      if (res.headersSent) res.destroy();
      else res.writeHead(500, ['Content-Type', 'application/json; charset=utf-8']).end(JSON.stringify(errorAnswer(error, deps.logger, deps.metrics, '').body));
    });
    return true;
  };
}
