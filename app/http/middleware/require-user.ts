import type { Middleware } from 'koa';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { findUserById } from '../../infra/mysql/users.ts';
import type { AppState } from '../context.ts';

/** Loads the session's user into `ctx.state.user`, or answers 401. */
export function requireUser(deps: Pick<Deps, 'db'>): Middleware<AppState> {
  return async (ctx, next) => {
    const userId = ctx.session?.userId;
    if (typeof userId !== 'number') throw errors.unauthenticated();
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
