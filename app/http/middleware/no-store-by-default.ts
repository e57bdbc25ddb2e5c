import type { Middleware } from 'koa';
import type { AppState } from '../context.ts';

/**
 * `/api/` answers are not stored by browsers or shared caches unless their route chose a Cache-Control
 * of its own: most carry personal data (the user, holds, orders, the session cookie), and an answer
 * that forgot to say so must not end up in a cache. Public, cacheable answers opt in by setting their
 * own header (the seat map sets `private, no-cache` for its ETag polling). Errors are covered too:
 * this sits outside the error handler.
 */
export function noStoreByDefault(): Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    const isApi = ctx.path === '/api' || ctx.path.startsWith('/api/');
    if (isApi && !ctx.response.get('Cache-Control')) ctx.set('Cache-Control', 'no-store');
  };
}
