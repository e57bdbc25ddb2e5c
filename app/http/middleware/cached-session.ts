import type { Middleware } from 'koa';
import type { SessionCache, StoredSession } from '../../infra/session-cache.ts';
import type { AppContext, AppState } from '../context.ts';

/**
 * The session of a hold request, read-only, in place of koa-session: from this instance's session cache when
 * it holds this cookie's session, else from Redis after checking the cookie's signature exactly as koa-session
 * does (a bad signature is no session). Sets `ctx.state.session` (null: none). A hold changes nothing in the
 * session, so nothing is written back; the seat map and every other route still go through koa-session,
 * which renews sessions near their end.
 */
export function cachedSession(
  store: { get(sessionId: string): Promise<StoredSession | undefined> },
  cache: SessionCache,
  cookieName: string,
): Middleware<AppState> {
  const signatureName = `${cookieName}.sig`;
  const unsigned = { signed: false };
  const signed = { signed: true };
  const fromRedis = async (ctx: AppContext, sessionId: string, signature: string) => {
    if (ctx.cookies.get(cookieName, signed) !== sessionId) return;
    const stored = await store.get(sessionId);
    if (stored && !(typeof stored._expire === 'number' && stored._expire < Date.now())) {
      cache.remember(sessionId, signature, stored);
      ctx.state.session = stored;
    }
  };
  // Not async: a cache hit (the usual case) goes on to next() with no promise of its own.
  return (ctx, next) => {
    ctx.state.session = null;
    const sessionId = ctx.cookies.get(cookieName, unsigned);
    if (!sessionId) return next();
    const signature = ctx.cookies.get(signatureName, unsigned) ?? '';
    const cached = cache.get(sessionId, signature);
    if (!cached) return fromRedis(ctx, sessionId, signature).then(() => next());
    ctx.state.session = cached;
    return next();
  };
}
