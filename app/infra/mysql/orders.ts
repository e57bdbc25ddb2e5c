import type { Pool, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import type { Queryable } from './replica/read-router.ts';
import { withTransaction } from './transaction.ts';

export interface Order {
  id: number;
  eventId: number;
  totalCents: number;
  tickets: { id: number; seatId: number }[];
}

export interface OrderIdentity {
  id: number;
  userId: number;
  holdId: string | null;
}

/** Why the ledger refused an order: the unique keys that make double sales and double orders impossible. */
export type OrderConflict = 'idempotency_key' | 'hold' | 'seat';

export class OrderConflictError extends Error {
  constructor(readonly conflict: OrderConflict) {
    super(`order refused by unique key: ${conflict}`);
  }
}

/**
 * Commits an order and its tickets in one transaction. The answer is sent only after COMMIT returns,
 * so every 201 has its order in the ledger.
 */
export async function insertOrder(
  db: Pool,
  order: { userId: number; eventId: number; holdId: string; idempotencyKey: string; totalCents: number; seatIds: number[] },
): Promise<Order> {
  try {
    return await withTransaction(db, async (connection) => {
      const [result] = await connection.execute<ResultSetHeader>(
        'INSERT INTO orders (user_id, event_id, total_cents, hold_id, idempotency_key) VALUES (?, ?, ?, ?, ?)',
        [order.userId, order.eventId, order.totalCents, order.holdId, order.idempotencyKey],
      );
      const orderId = result.insertId;
      await connection.query('INSERT INTO tickets (order_id, seat_id) VALUES ?', [
        order.seatIds.map((seatId) => [orderId, seatId]),
      ]);
      // Read the ids back: a multi-row INSERT's ids need not be consecutive under interleaved auto-increment locking.
      const [tickets] = await connection.execute<RowDataPacket[]>(
        'SELECT id, seat_id AS seatId FROM tickets WHERE order_id = ? ORDER BY id',
        [orderId],
      );
      return {
        id: orderId,
        eventId: order.eventId,
        totalCents: order.totalCents,
        tickets: tickets.map((ticket) => ({ id: Number(ticket.id), seatId: Number(ticket.seatId) })),
      };
    });
  } catch (error) {
    throw toConflict(error) ?? error;
  }
}

function toConflict(error: unknown): OrderConflictError | null {
  const { code, message } = error as { code?: string; message?: string };
  if (code !== 'ER_DUP_ENTRY') return null;
  if (message?.includes('uq_orders_idempotency')) return new OrderConflictError('idempotency_key');
  if (message?.includes('uq_orders_hold')) return new OrderConflictError('hold');
  return new OrderConflictError('seat');
}

export async function findOrderByIdempotencyKey(db: Pool, userId: number, key: string): Promise<OrderIdentity | null> {
  const [rows] = await db.execute<RowDataPacket[]>(
    'SELECT id, user_id AS userId, hold_id AS holdId FROM orders WHERE user_id = ? AND idempotency_key = ?',
    [userId, key],
  );
  return (rows[0] as OrderIdentity | undefined) ?? null;
}

/** Orders with their tickets, newest first, for one buyer, optionally one order. */
export async function listOrders(db: Queryable, userId: number, orderId?: number): Promise<Order[]> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT o.id, o.event_id AS eventId, o.total_cents AS totalCents, t.id AS ticketId, t.seat_id AS seatId
       FROM orders o LEFT JOIN tickets t ON t.order_id = o.id
      WHERE o.user_id = ? ${orderId === undefined ? '' : 'AND o.id = ?'}
      ORDER BY o.id DESC, t.id`,
    orderId === undefined ? [userId] : [userId, orderId],
  );
  const orders = new Map<number, Order>();
  for (const row of rows) {
    let order = orders.get(row.id);
    if (!order) {
      order = { id: row.id, eventId: row.eventId, totalCents: row.totalCents, tickets: [] };
      orders.set(row.id, order);
    }
    if (row.ticketId !== null) order.tickets.push({ id: row.ticketId, seatId: row.seatId });
  }
  return [...orders.values()];
}

/** Which of these seats already have a ticket. */
export async function soldSeatIds(db: Pool, seatIds: number[]): Promise<number[]> {
  if (seatIds.length === 0) return [];
  const [rows] = await db.query<RowDataPacket[]>('SELECT seat_id AS seatId FROM tickets WHERE seat_id IN (?)', [seatIds]);
  return rows.map((row) => Number(row.seatId));
}

/** Every sold seat of an event with its order, and how many seats each buyer has bought. */
export async function soldSeatsOfEvent(
  db: Pool,
  eventId: number,
): Promise<{ sold: { seatId: number; orderId: number }[]; boughtByUser: Map<number, number> }> {
  const [rows] = await db.execute<RowDataPacket[]>(
    `SELECT t.seat_id AS seatId, t.order_id AS orderId, o.user_id AS userId
       FROM tickets t JOIN seats s ON s.id = t.seat_id JOIN orders o ON o.id = t.order_id
      WHERE s.event_id = ?`,
    [eventId],
  );
  const boughtByUser = new Map<number, number>();
  for (const row of rows) boughtByUser.set(row.userId, (boughtByUser.get(row.userId) ?? 0) + 1);
  return { sold: rows.map((row) => ({ seatId: row.seatId, orderId: row.orderId })), boughtByUser };
}
