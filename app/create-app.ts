import Router from '@koa/router';
import Koa from 'koa';
import compose from 'koa-compose';
import session from 'koa-session';
import type { Deps } from './deps.ts';
import type { AppState } from './http/context.ts';
import { cookieSigner } from './http/cookie-signer.ts';
import { allowedOriginSet, originCheck } from './http/middleware/csrf.ts';
import { holdFastPath as createHoldFastPath, type FastPath } from './http/hold-fast-path.ts';
import { holdRateLimits } from './http/hold-rate-limits.ts';
import { errorHandler } from './http/middleware/error-handler.ts';
import { htmlSecurityHeaders } from './http/middleware/html-security-headers.ts';
import { methodNotAllowed } from './http/middleware/method-not-allowed.ts';
import { noStoreByDefault } from './http/middleware/no-store-by-default.ts';
import { whenReady } from './http/middleware/readiness.ts';
import { cachedSession } from './http/middleware/cached-session.ts';
import { requestContext } from './http/middleware/request-context.ts';
import { strictTransportSecurity } from './http/middleware/strict-transport-security.ts';
import { adminRoutes } from './http/routes/admin.ts';
import { authRoutes } from './http/routes/auth.ts';
import { eventRoutes } from './http/routes/events.ts';
import { healthRoutes } from './http/routes/health.ts';
import { holdRoutes } from './http/routes/holds.ts';
import { openApiRoute } from './http/routes/openapi.ts';
import { orderRoutes } from './http/routes/orders.ts';
import { queueRoutes } from './http/routes/queue.ts';
import { waitingRoomAdminRoutes } from './http/routes/waiting-room-admin.ts';
import { staticSite } from './http/routes/site.ts';
import { redisSessionStore } from './infra/redis/session-store.ts';

/** Only for development: production refuses to start without SESSION_KEYS (see config.ts). */
export const developmentSessionKey = 'ticketkit-development-session-key-not-for-production';
const sessionMaxAgeMs = 24 * 60 * 60 * 1000;
const sessionCookie = 'tk.sid';
/** The on-sale's hot path, whose session comes through the session cache (http/middleware/cached-session.ts). */
const holdPath = /^\/api\/events\/[^/]+\/holds$/;

export interface AppControl {
  app: Koa<AppState>;
  router: Router<AppState>;
  /** The app's request handler (`app.callback()`), made once. */
  handle: ReturnType<Koa['callback']>;
  /** The hold route's fast path (http/hold-fast-path.ts): offer each request to it before the Koa app. */
  holdFastPath: FastPath;
}

/**
 * Builds the Koa app without listening. `isReady` turns true when start-up work is done; `isDraining`
 * turns true at shutdown, which fails /readyz while requests that still arrive are served.
 */
export function createApp(deps: Deps, isReady: () => boolean, isDraining: () => boolean = () => false): AppControl {
  const { config } = deps;
  const app = new Koa<AppState>({
    proxy: config.TRUST_PROXY > 0,
    // The client is the address the outermost trusted proxy appended; entries before it are the client's own claims.
    maxIpsCount: Math.max(1, config.TRUST_PROXY),
  });
  app.keys = cookieSigner(config.SESSION_KEYS ?? [developmentSessionKey]);
  // Errors are logged by our own middleware with the request id.
  app.silent = true;

  const router = new Router<AppState>();
  healthRoutes(router, deps, () => isReady() && !isDraining());
  openApiRoute(router);
  authRoutes(router, deps);
  eventRoutes(router, deps);
  const holdLimits = holdRateLimits(deps);
  holdRoutes(router, deps, holdLimits);
  orderRoutes(router, deps);
  adminRoutes(router, deps);
  queueRoutes(router, deps);
  waitingRoomAdminRoutes(router, deps);

  const sessionStore = redisSessionStore(deps.redis, config.REDIS_KEY_PREFIX, deps.sessionCache);
  const sessions = session(
    {
      key: sessionCookie,
      maxAge: sessionMaxAgeMs,
      httpOnly: true,
      sameSite: 'lax',
      signed: true,
      renew: true,
      // `secure` is left unset: koa-session marks the cookie Secure exactly when the request is HTTPS
      // (directly, or by X-Forwarded-Proto when TRUST_PROXY is on).
      store: sessionStore,
    },
    app as unknown as Koa,
  );

  // The hold route's common case skips this chain (http/hold-fast-path.ts builds its answer from the same parts):
  // a middleware added here must be reflected there.
  app.use(requestContext(deps.logger));
  // Outside the error handler, so they see every final answer, errors included.
  app.use(strictTransportSecurity());
  app.use(htmlSecurityHeaders(config.WAF_CAPTCHA_SCRIPT_URL));
  app.use(noStoreByDefault());
  app.use(errorHandler(deps.logger, deps.metrics));
  app.use((ctx, next) => {
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    return next();
  });
  // Health probes bypass the readiness gate, the origin check and sessions.
  const allowedOrigins = allowedOriginSet(config.ALLOWED_ORIGINS);
  const gate = [whenReady(isReady), originCheck(allowedOrigins)];
  const apiGate = compose([...gate, sessions as never]);
  const holdGate = compose([...gate, cachedSession(sessionStore, deps.sessionCache, sessionCookie)]);
  app.use((ctx, next) => {
    if (!ctx.path.startsWith('/api/')) return next();
    return (ctx.method === 'POST' && holdPath.test(ctx.path) ? holdGate : apiGate)(ctx, next);
  });
  app.use(router.routes());
  app.use(methodNotAllowed(router));
  // The buyer page (dist/web) for every GET outside /api/ that no route answered.
  app.use(staticSite());
  const handle = app.callback();
  const holdFastPath = createHoldFastPath(deps, app as unknown as Koa, {
    isReady, allowedOrigins, sessionCookie, sessions: sessionStore, limits: holdLimits, fallback: (req, res) => void handle(req, res),
  });
  return { app, router, handle, holdFastPath };
}
