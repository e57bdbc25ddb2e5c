import type { Middleware } from 'koa';
import type { Deps } from '../../deps.ts';
import type { AppContext, AppState } from '../context.ts';

/** The session field holding the primary's position after the client's last ledger write. */
const sessionField = 'readAfter';

/**
 * On a route that writes the ledger: once it succeeded, the primary's position (which includes the write)
 * goes into the writer's session, so that writer's reads from the replica wait for it (read-your-writes),
 * on whichever instance they land. Without a read replica nothing is recorded. A position that cannot be
 * read only loses the wait, never the answer: the write is committed.
 */
export function recordsWrite(deps: Pick<Deps, 'reads' | 'logger'>): Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    if (ctx.status >= 300 || !ctx.session) return;
    try {
      const position = await deps.reads.primaryPosition();
      if (position) ctx.session[sessionField] = position;
    } catch (error) {
      deps.logger.warn({ err: error, requestId: ctx.state.requestId }, 'primary position not recorded after a write');
    }
  };
}

/** The position this client's reads must see, if it wrote the ledger. */
export function readAfter(ctx: AppContext): string | undefined {
  const position = ctx.session?.[sessionField];
  return typeof position === 'string' ? position : undefined;
}
