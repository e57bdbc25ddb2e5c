import mysql, { type RowDataPacket } from 'mysql2/promise';
import type { Sale } from './spike.ts';

/** What the ledger says after a spike, set against what the clients were told. */
export interface LedgerReport {
  seatsSold: number;
  /** Seats with more than one ticket: must be 0. */
  seatsSoldTwice: number;
  /** Purchases answered 201 whose order (with exactly those seats) is not in the ledger: must be 0. */
  salesWithoutOrder: number;
  /** Orders sharing a hold or a (buyer, Idempotency-Key), or one key answered with two orders: must be 0. */
  ordersTwice: number;
  orders: number;
}

export async function checkLedger(databaseUrl: string, eventId: number, sales: Sale[]): Promise<LedgerReport> {
  const db = await mysql.createConnection(databaseUrl);
  try {
    const [soldTwice] = await db.query<RowDataPacket[]>(
      `SELECT t.seat_id FROM tickets t JOIN seats s ON s.id = t.seat_id
        WHERE s.event_id = ? GROUP BY t.seat_id HAVING COUNT(*) > 1`,
      [eventId],
    );
    const [orders] = await db.query<RowDataPacket[]>(
      `SELECT o.id, o.user_id AS userId, o.hold_id AS holdId, o.idempotency_key AS idempotencyKey,
              GROUP_CONCAT(t.seat_id ORDER BY t.seat_id) AS seats, COUNT(t.id) AS tickets
         FROM orders o LEFT JOIN tickets t ON t.order_id = o.id
        WHERE o.event_id = ? GROUP BY o.id`,
      [eventId],
    );
    const byId = new Map(orders.map((order) => [Number(order.id), order]));
    const salesWithoutOrder = sales.filter((sale) => {
      const order = byId.get(sale.orderId);
      const seats = [...sale.seatIds].sort((a, b) => a - b).join(',');
      return !order || order.holdId !== sale.holdId || order.idempotencyKey !== sale.idempotencyKey
        || Number(order.userId) !== sale.userId || order.seats !== seats;
    }).length;
    const distinct = (values: unknown[]) => values.length - new Set(values).size;
    const orderIdsPerKey = new Map<string, Set<number>>();
    for (const sale of sales) {
      const ids = orderIdsPerKey.get(sale.idempotencyKey) ?? new Set();
      orderIdsPerKey.set(sale.idempotencyKey, ids.add(sale.orderId));
    }
    const ordersTwice =
      distinct(orders.map((order) => order.holdId)) +
      distinct(orders.map((order) => `${order.userId}|${order.idempotencyKey}`)) +
      [...orderIdsPerKey.values()].filter((ids) => ids.size > 1).length;
    return {
      seatsSold: orders.reduce((sum, order) => sum + Number(order.tickets), 0),
      seatsSoldTwice: soldTwice.length,
      salesWithoutOrder,
      ordersTwice,
      orders: orders.length,
    };
  } finally {
    await db.end();
  }
}
