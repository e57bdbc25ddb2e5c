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
  // The hold route reads its session through the session cache (cached-session.ts), the others through koa-session.
  const session = ctx.state.session !== undefined ? ctx.state.session : ctx.session;
  const userId = session?.userId;
  if (typeof userId !== 'number') return null;
  const stored = session?.user as PublicUser | undefined;
  if (options.fromSession && stored?.id === userId) return stored;
  const user = await findUserById(deps.db, userId);
  return user && { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Loads the session's user into `ctx.state.user`, or answers 401. */
export function requireUser(deps: Pick<Deps, 'db'>, options: { fromSession?: boolean } = {}): Middleware<AppState> {
  return async (ctx, next) => {
    const user = await sessionUser(deps, ctx, options);
    if (!user) throw errors.unauthenticated();
    ctx.state.user = user;
    await next();
  };
}

export function requireOrganizer(): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.state.user?.role !== 'organizer') throw errors.forbidden();
    await next();
  };
}
