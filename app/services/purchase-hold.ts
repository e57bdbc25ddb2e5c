import type { Deps } from '../deps.ts';
import { eventOfHoldId } from '../domain/hold-id.ts';
import { errors } from '../errors.ts';
import {
  findOrderByIdempotencyKey,
  insertOrder,
  listOrders,
  OrderConflictError,
  soldSeatIds,
  type Order,
} from '../infra/mysql/orders.ts';

export interface PurchaseResult {
  order: Order;
  /** True when this answer repeats an earlier purchase made with the same Idempotency-Key. */
  replayed: boolean;
}

/**
 * Turns a live hold into an order. Redis gates the attempt; MySQL decides: its unique keys on
 * (buyer, Idempotency-Key), hold and seat make a second order or a second ticket impossible, so a retry
 * or a concurrent replay can only ever find the one order.
 */
export async function purchaseHold(
  deps: Deps,
  input: { holdId: string; userId: number; idempotencyKey: string },
): Promise<PurchaseResult> {
  const { holdId, userId, idempotencyKey } = input;
  const eventId = eventOfHoldId(holdId);
  if (eventId === null) throw errors.notFound('hold');

  const earlier = await findOrderByIdempotencyKey(deps.db, userId, idempotencyKey);
  if (earlier) return replay(deps, eventId, holdId, userId, earlier);

  const begin = await deps.seats.beginPurchase(eventId, holdId, userId, idempotencyKey);
  if (begin.kind === 'missing') throw errors.notFound('hold');
  if (begin.kind === 'purchased') {
    // Redis marks a hold purchased only after its order committed. With this very key it is a concurrent
    // attempt (a double click) that committed after our first look: it replays, as it would a moment later.
    const winner = await findOrderByIdempotencyKey(deps.db, userId, idempotencyKey);
    if (winner) return replay(deps, eventId, holdId, userId, winner);
    throw errors.holdPurchased();
  }
  if (begin.kind === 'in_progress') throw errors.requestInProgress();
  if (begin.kind === 'expired') throw errors.holdExpired();

  const hold = await deps.seats.getHold(eventId, holdId);
  const layout = await deps.catalog.get(eventId);
  if (!hold || !layout) throw errors.holdExpired();
  const totalCents = hold.seatIds.reduce((sum, seatId) => sum + (layout.seatById.get(seatId)?.priceCents ?? 0), 0);

  let order: Order;
  try {
    order = await insertOrder(deps.db, { userId, eventId, holdId, idempotencyKey, totalCents, seatIds: hold.seatIds });
  } catch (error) {
    if (error instanceof OrderConflictError) return resolveConflict(deps, eventId, holdId, userId, idempotencyKey, error, hold.seatIds);
    // The ledger did not take the order (MySQL unreachable, a bug): the buyer may retry with the same key.
    deps.metrics.count('PurchaseFailures', 1, { Reason: 'ledger_unavailable' });
    await deps.seats.abortPurchase(eventId, holdId, idempotencyKey).catch(() => undefined);
    throw error;
  }
  deps.metrics.count('PurchasesCommitted');
  deps.metrics.count('SeatsSold', order.tickets.length);
  await recordSale(deps, eventId, holdId, userId, order);
  return { order, replayed: false };
}

async function replay(
  deps: Deps,
  eventId: number,
  holdId: string,
  userId: number,
  earlier: { id: number; holdId: string | null },
): Promise<PurchaseResult> {
  if (earlier.holdId !== holdId) throw errors.idempotencyKeyReused();
  const [order] = await listOrders(deps.db, userId, earlier.id);
  if (!order) throw errors.notFound('order');
  // The first attempt may have died between COMMIT and Redis: record the sale again (it is idempotent).
  await recordSale(deps, eventId, holdId, userId, order);
  return { order, replayed: true };
}

async function resolveConflict(
  deps: Deps,
  eventId: number,
  holdId: string,
  userId: number,
  idempotencyKey: string,
  conflict: OrderConflictError,
  seatIds: number[],
): Promise<PurchaseResult> {
  if (conflict.conflict !== 'seat') {
    // A concurrent attempt won the race: the same key replays its order, another key learns the hold is gone.
    const winner = await findOrderByIdempotencyKey(deps.db, userId, idempotencyKey);
    if (winner) return replay(deps, eventId, holdId, userId, winner);
    throw errors.holdPurchased();
  }
  // Redis let a seat through that the ledger had already sold (Redis lost data): the ledger wins.
  const taken = await soldSeatIds(deps.db, seatIds);
  await deps.seats.abortPurchase(eventId, holdId, idempotencyKey);
  await deps.seats.releaseHold(eventId, holdId, userId);
  await deps.seats.markSold(eventId, taken);
  deps.logger.warn({ eventId, holdId, seatIds: taken }, 'ledger refused seats that Redis showed as free');
  // A sale Redis granted and the ledger refused: Redis was wrong (lost data). The alarm on it pages.
  deps.metrics.count('LedgerRefusedSales');
  deps.metrics.count('PurchaseFailures', 1, { Reason: 'ledger_refused' });
  throw errors.seatsUnavailable(taken);
}

/** Marks the seats sold in Redis. The order is already committed, so a Redis failure here only logs. */
async function recordSale(deps: Deps, eventId: number, holdId: string, userId: number, order: Order): Promise<void> {
  const seatIds = order.tickets.map((ticket) => ticket.seatId);
  try {
    await deps.seats.completePurchase(eventId, holdId, userId, order.id, seatIds);
  } catch (error) {
    deps.logger.warn({ err: error, orderId: order.id }, 'order committed but not yet recorded in Redis; the ledger still refuses resale');
  }
}
