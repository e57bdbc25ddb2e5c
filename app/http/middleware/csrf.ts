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
  return async (ctx, next) => {
    if (!safeMethods.has(ctx.method)) {
      const origin = ctx.get('Origin');
      // Not ctx.origin: Koa 3 derives that from the Origin header itself.
      const self = `${ctx.protocol}://${ctx.host}`;
      if (origin && (origin === 'null' || (!allowed.has(origin) && origin !== self))) throw errors.csrfRejected();
    }
    await next();
  };
}
