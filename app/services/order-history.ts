import type { Deps } from '../deps.ts';
import { errors } from '../errors.ts';
import { listOrders, type Order } from '../infra/mysql/orders.ts';

/**
 * A buyer's orders, newest first. Order history tolerates replica lag except for the buyer's own
 * purchases: `after` (the primary's position after the buyer's last purchase) is waited for.
 */
export function orderHistory(deps: Deps, userId: number, after?: string): Promise<Order[]> {
  return deps.reads.read((db) => listOrders(db, userId), after);
}

export async function orderOf(deps: Deps, userId: number, orderId: number, after?: string): Promise<Order> {
  const [order] = await deps.reads.read((db) => listOrders(db, userId, orderId), after);
  if (!order) throw errors.notFound('order');
  return order;
}
