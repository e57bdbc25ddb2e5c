import type { Middleware } from 'koa';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { findUserById } from '../../infra/mysql/users.ts';
import type { AppState } from '../context.ts';

/**
 * Loads the session's user into `ctx.state.user`, or answers 401. With `fromSession`, the copy stored in
 * the session at login is used when present: the buyer routes of the on-sale hot path (holds, purchases)
 * then skip a MySQL round trip per request (see docs/onsale.md). Routes that decide on the role read the
 * ledger every time, so a role change counts at once.
 */
export function requireUser(deps: Pick<Deps, 'db'>, options: { fromSession?: boolean } = {}): Middleware<AppState> {
  return async (ctx, next) => {
    const userId = ctx.session?.userId;
    if (typeof userId !== 'number') throw errors.unauthenticated();
    const stored = ctx.session?.user as AppState['user'] | undefined;
    if (options.fromSession && stored?.id === userId) {
      ctx.state.user = stored;
      return next();
    }
    const user = await findUserById(deps.db, userId);
    if (!user) throw errors.unauthenticated();
    ctx.state.user = { id: user.id, email: user.email, name: user.name, role: user.role };
    await next();
  };
}

export function requireOrganizer(): Middleware<AppState> {
  return async (ctx, next) => {
    if (ctx.state.user?.role !== 'organizer') throw errors.forbidden();
    await next();
  };
}
