import type { Middleware } from 'koa';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Rejects state-changing requests whose Origin is neither this site nor in ALLOWED_ORIGINS, before any
 * authentication. Browsers always send Origin on such requests; clients without one (curl, k6) are not browsers.
 */
export function originCheck(allowedOrigins: string[]): Middleware<AppState> {
  const allowed = new Set(allowedOrigins.map((origin) => origin.replace(/\/+$/, '')));
  // Not async (nothing after next()); koa-compose turns the throw into a rejection.
  return (ctx, next) => {
    if (!safeMethods.has(ctx.method)) {
      const origin = ctx.get('Origin');
      // Not ctx.origin: Koa 3 derives that from the Origin header itself. Without an Origin there is nothing to compare.
      if (origin && (origin === 'null' || (!allowed.has(origin) && origin !== `${ctx.protocol}://${ctx.host}`))) throw errors.csrfRejected();
    }
    return next();
  };
}
