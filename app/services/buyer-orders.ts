import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import { listOrders, type Order } from '../infra/mysql/orders.ts';

export type { Order };

/** A buyer's orders, each with its tickets. */
export async function listBuyerOrders(deps: Pick<Deps, 'db'>, userId: number): Promise<Order[]> {
  return listOrders(deps.db, userId);
}

/** One of the buyer's own orders; anyone else's, or one that does not exist, is not found. */
export async function getBuyerOrder(deps: Pick<Deps, 'db'>, userId: number, orderId: number): Promise<Order> {
  const [order] = await listOrders(deps.db, userId, orderId);
  if (!order) throw errors.notFound('order');
  return order;
}
