import type { Middleware } from 'koa';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { findUserById } from '../../infra/mysql/users.ts';
import type { PublicUser } from '../../services/auth.ts';
import type { AppContext, AppState } from '../context.ts';

/**
 * The session's user, or null when nobody is logged in (or the account is gone). With `fromSession`,
 * the copy stored in the session at login is used when present: the buyer routes of the on-sale hot path
 * (holds, purchases) then skip a MySQL round trip per request (see docs/onsale.md). Routes that decide on
 * the role read the ledger every time, so a role change counts at once.
 */
export async function sessionUser(
  deps: Pick<Deps, 'db'>,
  ctx: AppContext,
  options: { fromSession?: boolean } = {},
): Promise<PublicUser | null> {
  const session = sessionOf(ctx);
  const userId = session?.userId;
  if (typeof userId !== 'number') return null;
  if (options.fromSession) {
    const stored = userStoredIn(sessionOf(ctx));
    if (stored) return stored;
  }
  const user = await findUserById(deps.db, userId);
  return user && { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The hold route reads its session through the session cache (cached-session.ts), the others through koa-session. */
function sessionOf(ctx: AppContext) {
  return ctx.state.session !== undefined ? ctx.state.session : ctx.session;
}

/** The buyer copied into `session` at login, when it is the session's user; no I/O. */
export function userStoredIn(session: Readonly<Record<string, unknown>> | null | undefined): PublicUser | undefined {
  const stored = session?.user as PublicUser | undefined;
  return typeof session?.userId === 'number' && stored?.id === session.userId ? stored : undefined;
}

/** Loads the session's user into `ctx.state.user`, or answers 401. */
export function requireUser(deps: Pick<Deps, 'db'>, options: { fromSession?: boolean } = {}): Middleware<AppState> {
  const fromLedger = async (ctx: AppContext, next: () => Promise<unknown>) => {
    const user = await sessionUser(deps, ctx, options);
    if (!user) throw errors.unauthenticated();
    ctx.state.user = user;
    return next();
  };
  // The hold path's usual case, the session's own copy, runs without an async frame of its own (nothing to await).
  return (ctx, next) => {
    const stored = options.fromSession ? userStoredIn(sessionOf(ctx)) : undefined;
    if (!stored) return fromLedger(ctx, next);
    ctx.state.user = stored;
    return next();
  };
}

export function requireOrganizer(): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.state.user?.role !== 'organizer') throw errors.forbidden();
    await next();
  };
}
