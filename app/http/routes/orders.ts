import type Router from '@koa/router';
import type { Deps } from '../../deps.ts';
import { errors } from '../../errors.ts';
import { listOrders } from '../../infra/mysql/orders.ts';
import type { AppState } from '../context.ts';
import { requireUser } from '../middleware/require-user.ts';
import { parseId } from '../validate.ts';

export function orderRoutes(router: Router<AppState>, deps: Deps): void {
  const signedIn = requireUser(deps);

  router.get('/api/orders', signedIn, async (ctx) => {
    ctx.body = { orders: await listOrders(deps.db, ctx.state.user!.id) };
  });

  router.get('/api/orders/:orderId', signedIn, async (ctx) => {
    const [order] = await listOrders(deps.db, ctx.state.user!.id, parseId(ctx.params.orderId, 'order'));
    if (!order) throw errors.notFound('order');
    ctx.body = { order };
  });
}
