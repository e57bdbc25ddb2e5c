import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { waitUntil } from '../../support/wait.ts';

/**
 * Keeps one purchase in flight for as long as a test needs, without timing: a transaction of the test's
 * own inserts an order with the hold id that purchase will insert (`orders.hold_id` is unique), so the
 * API's INSERT waits inside MySQL on that row's lock until `release()` rolls the blocker back. Then the
 * fault (SIGKILL, SIGTERM) can be aimed at a request that is provably mid-purchase.
 */
export class OrderBlocker {
  private constructor(
    private readonly connection: Connection,
    private readonly transactionId: string,
  ) {}

  static async block(databaseUrl: string, hold: { userId: number; eventId: number; holdId: string }): Promise<OrderBlocker> {
    const connection = await mysql.createConnection(databaseUrl);
    try {
      await connection.beginTransaction();
      await connection.execute(
        'INSERT INTO orders (user_id, event_id, total_cents, hold_id, idempotency_key) VALUES (?, ?, 0, ?, ?)',
        [hold.userId, hold.eventId, hold.holdId, 'test-order-blocker'],
      );
      const [rows] = await connection.query<RowDataPacket[]>(
        'SELECT trx_id AS id FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = CONNECTION_ID()',
      );
      return new OrderBlocker(connection, String(rows[0]!.id));
    } catch (error) {
      await connection.end();
      throw error;
    }
  }

  /** Resolves once another transaction (the purchase) is waiting for the blocker's lock. */
  async waitUntilSomeoneWaits(timeoutMs = 30_000): Promise<void> {
    await waitUntil('a purchase waiting on the blocked order row', async () => {
      const [rows] = await this.connection.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS waiting FROM information_schema.INNODB_LOCK_WAITS WHERE blocking_trx_id = ?',
        [this.transactionId],
      );
      return Number(rows[0]!.waiting) > 0;
    }, timeoutMs, 20);
  }

  /** Rolls the blocker back (its order never existed) and lets the waiting purchase go on. */
  async release(): Promise<void> {
    try {
      await this.connection.rollback();
    } finally {
      await this.connection.end();
    }
  }
}
