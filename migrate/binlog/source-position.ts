import type mysql from 'mysql2/promise';
import type { BinlogPosition } from './binlog-position.ts';

/** The source's current binlog end (file/offset and GTID), or undefined when binary logging is off. */
export async function readSourcePosition(connection: mysql.Connection): Promise<BinlogPosition | undefined> {
  let rows: Record<string, unknown>[];
  try {
    [rows] = (await connection.query('SHOW MASTER STATUS')) as unknown as [Record<string, unknown>[]];
  } catch {
    // MySQL 8.4 renamed it (untested here).
    [rows] = (await connection.query('SHOW BINARY LOG STATUS')) as unknown as [Record<string, unknown>[]];
  }
  const status = rows[0];
  if (!status) return undefined;
  const [[gtidRow]] = (await connection
    .query("SELECT COALESCE(@@global.gtid_binlog_pos, '') AS gtid")
    .catch(() => connection.query('SELECT @@global.gtid_executed AS gtid'))) as unknown as [{ gtid: string }[]];
  const gtid = String(gtidRow?.gtid ?? '').replace(/\s/g, '');
  return { file: String(status.File), position: Number(status.Position), ...(gtid ? { gtid } : {}) };
}
