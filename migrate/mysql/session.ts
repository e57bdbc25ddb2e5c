import type mysql from 'mysql2/promise';

/**
 * Reader sessions: values leave the server exactly as stored (no result charset conversion, UTC
 * for TIMESTAMP), and a paused stream (backpressure from a slow target) must not time out.
 */
export async function prepareReaderSession(connection: mysql.Connection): Promise<void> {
  await connection.query(
    "SET SESSION character_set_results = NULL, time_zone = '+00:00', net_write_timeout = 3600, net_read_timeout = 3600",
  );
  await connection.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
}

/**
 * Writer sessions for the bulk load: no per-row foreign key or unique checks (the source already
 * enforced them), zero dates and id 0 accepted as they are, values taken as UTC.
 */
export async function prepareWriterSession(connection: mysql.Connection): Promise<void> {
  await connection.query(
    "SET SESSION foreign_key_checks = 0, unique_checks = 0, sql_mode = 'NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION', time_zone = '+00:00', net_read_timeout = 3600, net_write_timeout = 3600",
  );
}

/** Sessions that only compute checksums: UTC so TIMESTAMP text is identical on both servers. */
export async function prepareChecksumSession(connection: mysql.Connection): Promise<void> {
  await connection.query("SET SESSION time_zone = '+00:00', net_write_timeout = 3600");
}
