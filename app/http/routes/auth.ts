import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../errors.ts';
import { authenticate, registerUser } from '../../services/auth.ts';
import type { AppState } from '../context.ts';
import { readDeviceCookie, writeDeviceCookie } from '../device-cookie.ts';
import { jsonBody } from '../middleware/json-body.ts';
import { attemptLimit } from '../middleware/rate-limit.ts';
import { requireUser, sessionUser } from '../middleware/require-user.ts';
import { loginBody, registerBody } from '../schemas.ts';
import { parse } from '../validate.ts';

type Outcome = { ok: true } | { ok: false; error: unknown };
const failedWith = (outcome: Outcome, code: string) => !outcome.ok && outcome.error instanceof AppError && outcome.error.code === code;

export function authRoutes(router: Router<AppState>, deps: Deps): void {
  const { REDIS_KEY_PREFIX: keyPrefix, LOGIN_RATE_LIMIT_PER_IP, REGISTER_RATE_LIMIT_PER_IP } = deps.config;
  // Per client address, taken once the body is valid JSON of the right shape. Logins: only wrong
  // credentials count (a success, or a request throttled or refused before checking, gives its point back).
  const loginsPerIp = attemptLimit(deps.redis, {
    name: 'login-ip', keyPrefix, points: LOGIN_RATE_LIMIT_PER_IP, counts: (outcome) => failedWith(outcome, 'invalid_credentials'),
  });
  // Registrations: accounts created and taken emails count (the latter is how addresses are probed).
  const registrationsPerIp = attemptLimit(deps.redis, {
    name: 'register-ip', keyPrefix, points: REGISTER_RATE_LIMIT_PER_IP, windowSeconds: 3_600,
    counts: (outcome) => outcome.ok || failedWith(outcome, 'email_taken'),
  });

  router.post('/api/auth/register', jsonBody(), async (ctx) => {
    const input = parse(registerBody, ctx.state.body);
    const user = await registrationsPerIp(ctx.ip, () => registerUser(deps, input));
    ctx.status = 201;
    ctx.body = { user };
  });

  router.post('/api/auth/login', jsonBody(), async (ctx) => {
    const input = parse(loginBody, ctx.state.body);
    const { user, device } = await loginsPerIp(ctx.ip, () => authenticate(deps, input, readDeviceCookie(ctx)));
    // A new session id at login, so an id planted before login is worth nothing after it.
    await ctx.session!.regenerate();
    ctx.session!.userId = user.id;
    // A copy for the hot buyer routes, which then need no MySQL read per request (requireUser fromSession).
    ctx.session!.user = user;
    writeDeviceCookie(ctx, device);
    ctx.body = { user };
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
