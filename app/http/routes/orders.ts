import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { getBuyerOrder, listBuyerOrders } from '../../services/buyer-orders.ts';
import type { AppState } from '../context.ts';
import { requireUser } from '../middleware/require-user.ts';
import { parseId } from '../validate.ts';

export function orderRoutes(router: Router<AppState>, deps: Deps): void {
  const signedIn = requireUser(deps);

  router.get('/api/orders', signedIn, async (ctx) => {
    ctx.body = { orders: await listBuyerOrders(deps, ctx.state.user!.id) };
  });

  router.get('/api/orders/:orderId', signedIn, async (ctx) => {
    ctx.body = { order: await getBuyerOrder(deps, ctx.state.user!.id, parseId(ctx.params.orderId, 'order')) };
  });
}
