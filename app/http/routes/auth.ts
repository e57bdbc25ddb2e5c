import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { authenticate, registerUser } from '../../services/auth.ts';
import type { AppState } from '../context.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { rateLimit } from '../middleware/rate-limit.ts';
import { requireUser, sessionUser } from '../middleware/require-user.ts';
import { loginBody, registerBody } from '../schemas.ts';
import { parse } from '../validate.ts';

export function authRoutes(router: Router<AppState>, deps: Deps): void {
  const loginLimit = rateLimit(deps.redis, {
    name: 'login-ip',
    keyPrefix: deps.config.REDIS_KEY_PREFIX,
    perMinute: deps.config.LOGIN_RATE_LIMIT_PER_IP,
    keyOf: (ctx) => ctx.ip,
  });

  router.post('/api/auth/register', jsonBody(), async (ctx) => {
    const user = await registerUser(deps, parse(registerBody, ctx.state.body));
    ctx.status = 201;
    ctx.body = { user: { id: user.id, email: user.email, name: user.name } };
  });

  router.post('/api/auth/login', loginLimit, jsonBody(), async (ctx) => {
    const user = await authenticate(deps, parse(loginBody, ctx.state.body));
    // A new session id at login, so an id planted before login is worth nothing after it.
    await ctx.session!.regenerate();
    ctx.session!.userId = user.id;
    const publicUser = { id: user.id, email: user.email, name: user.name, role: user.role };
    // A copy for the hot buyer routes, which then need no MySQL read per request (requireUser fromSession).
    ctx.session!.user = publicUser;
    ctx.body = { user: publicUser };
  });

  router.post('/api/auth/logout', async (ctx) => {
    ctx.session = null;
    ctx.status = 204;
  });

  router.get('/api/me', requireUser(deps), (ctx) => {
    ctx.body = { user: ctx.state.user };
  });

  // For the buyer page: 200 either way, because browsers log every 401 as a console error.
  router.get('/api/session', async (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { user: await sessionUser(deps, ctx) };
  });
}
