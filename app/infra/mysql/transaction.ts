import type { Pool, PoolConnection } from 'mysql2/promise';

/** Runs `work` in one transaction on one pooled connection: committed if it returns, rolled back if it throws. */
export async function withTransaction<T>(db: Pool, work: (connection: PoolConnection) => Promise<T>): Promise<T> {
  const connection = await db.getConnection();
  try {
    await connection.beginTransaction();
    const result = await work(connection);
    await connection.commit();
    return result;
  } catch (error) {
    // A dead connection cannot roll back; the server discards its transaction anyway.
    await connection.rollback().catch(() => undefined);
    throw error;
  } finally {
    connection.release();
  }
}
