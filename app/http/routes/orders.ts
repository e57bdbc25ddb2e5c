import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { orderHistory, orderOf } from '../../services/order-history.ts';
import type { AppState } from '../context.ts';
import { readAfter } from '../middleware/read-your-writes.ts';
import { requireUser } from '../middleware/require-user.ts';
import { parseId } from '../validate.ts';

export function orderRoutes(router: Router<AppState>, deps: Deps): void {
  const signedIn = requireUser(deps);

  router.get('/api/orders', signedIn, async (ctx) => {
    ctx.body = { orders: await orderHistory(deps, ctx.state.user!.id, readAfter(ctx)) };
  });

  router.get('/api/orders/:orderId', signedIn, async (ctx) => {
    ctx.body = { order: await orderOf(deps, ctx.state.user!.id, parseId(ctx.params.orderId, 'order'), readAfter(ctx)) };
  });
}
