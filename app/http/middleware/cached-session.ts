import type Cookies from 'cookies';
import type { Middleware } from 'koa';
import type { SessionCache, StoredSession } from '../../infra/session-cache.ts';
import type { AppState } from '../context.ts';

/** Where a session lives (koa-session's Redis store). */
export interface SessionSource {
  get(sessionId: string): Promise<StoredSession | undefined>;
}

/**
 * The session of a request whose session cookie missed the session cache: its signature checked exactly as
 * koa-session does (a bad signature is no session; a cookie signed with an older key gets a new signature),
 * then read from Redis and remembered in the cache. Null: no session.
 */
export async function sessionFromStore(
  cookies: Pick<Cookies, 'get'>,
  names: { cookie: string },
  store: SessionSource,
  cache: SessionCache,
  sessionId: string,
  signature: string,
): Promise<StoredSession | null> {
  if (cookies.get(names.cookie, { signed: true }) !== sessionId) return null;
  const stored = await store.get(sessionId);
  if (!stored || (typeof stored._expire === 'number' && stored._expire < Date.now())) return null;
  cache.remember(sessionId, signature, stored);
  return stored;
}

/**
 * The session of a hold request, read-only, in place of koa-session: from this instance's session cache when
 * it holds this cookie's session, else from Redis (sessionFromStore). Sets `ctx.state.session` (null: none). A
 * hold changes nothing in the session, so nothing is written back; the seat map and every other route still go
 * through koa-session, which renews sessions near their end.
 */
export function cachedSession(store: SessionSource, cache: SessionCache, cookieName: string): Middleware<AppState> {
  const names = { cookie: cookieName };
  const signatureName = `${cookieName}.sig`;
  const unsigned = { signed: false };
  // Not async: a cache hit (the usual case) goes on to next() with no promise of its own.
  return (ctx, next) => {
    ctx.state.session = null;
    const sessionId = ctx.cookies.get(cookieName, unsigned);
    if (!sessionId) return next();
    const signature = ctx.cookies.get(signatureName, unsigned) ?? '';
    const cached = cache.get(sessionId, signature);
    if (cached) {
      ctx.state.session = cached;
      return next();
    }
    return sessionFromStore(ctx.cookies, names, store, cache, sessionId, signature).then((session) => {
      ctx.state.session = session;
      return next();
    });
  };
}
