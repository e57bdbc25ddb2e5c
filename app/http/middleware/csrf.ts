import type { Middleware } from 'koa';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request may go on as far as its Origin is concerned: safe methods always; others when they carry no
 * Origin (clients that are not browsers: curl, k6) or one that is this site (`request`'s protocol and host, as
 * Koa judges them) or in `allowed`.
 */
export function originAllowed(method: string, origin: string | undefined, allowed: Set<string>, request: { protocol: string; host: string }): boolean {
  if (safeMethods.has(method) || !origin) return true;
  // Not ctx.origin: Koa 3 derives that from the Origin header itself.
  return origin !== 'null' && (allowed.has(origin) || origin === `${request.protocol}://${request.host}`);
}

/** The ALLOWED_ORIGINS setting as originAllowed takes it. */
export function allowedOriginSet(allowedOrigins: string[]): Set<string> {
  return new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
}

/**
 * Rejects state-changing requests whose Origin is neither this site nor in ALLOWED_ORIGINS, before any
 * authentication. Browsers always send Origin on such requests.
 */
export function originCheck(allowed: Set<string>): Middleware<AppState> {
  // Not async (nothing after next()); koa-compose turns the throw into a rejection.
  return (ctx, next) => {
    if (!originAllowed(ctx.method, ctx.get('Origin'), allowed, ctx)) throw errors.csrfRejected();
    return next();
  };
}
