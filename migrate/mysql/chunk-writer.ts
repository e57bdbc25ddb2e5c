import type { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import { ConnectionError } from '../errors.ts';
import { quoteId } from './connect.ts';
import { loadTarget } from './column-expressions.ts';
import type { ColumnInfo } from './schema-reader.ts';

/** A LOAD DATA warning means a value did not arrive as sent: treat it as a failed chunk, never as data. */
export class LoadWarningError extends Error {}

export function loadDataSql(database: string, table: string, columns: readonly ColumnInfo[]): string {
  const targets = columns.map((column) => loadTarget(column));
  const sets = targets.flatMap((target) => (target.set ? [target.set] : []));
  // CHARACTER SET binary: bytes land exactly as the source stored them, whatever the column charset.
  return (
    `LOAD DATA LOCAL INFILE 'ticketkit-chunk' INTO TABLE ${quoteId(database)}.${quoteId(table)} CHARACTER SET binary ` +
    `(${targets.map((target) => target.target).join(', ')})` +
    (sets.length ? ` SET ${sets.join(', ')}` : '')
  );
}

/**
 * Loads one chunk in its own transaction and runs `inTransaction` (a checksum of what landed, the
 * checkpoint) in the same transaction before COMMIT: a crash leaves either the whole chunk and its
 * checkpoint, or neither. Any failure rolls back and is thrown as it came, for the caller's retry
 * policy to judge (a deadlock, a lock wait timeout and a lost connection are worth another attempt).
 */
export async function writeChunk(
  target: mysql.Connection,
  sql: string,
  stream: Readable,
  inTransaction: (loadedRows: number) => Promise<void>,
): Promise<number> {
  await target.query('START TRANSACTION');
  try {
    const [result] = await target.query({ sql, infileStreamFactory: () => stream });
    const header = result as mysql.ResultSetHeader;
    if (header.warningStatus > 0) {
      const [warnings] = await target.query('SHOW WARNINGS LIMIT 1');
      const first = (warnings as { Code: number; Message: string }[])[0];
      throw new LoadWarningError(`target warned while loading (${header.warningStatus} warnings), first: ${first?.Code} ${first?.Message}`);
    }
    await inTransaction(header.affectedRows);
    await target.query('COMMIT');
    return header.affectedRows;
  } catch (error) {
    await target.query('ROLLBACK').catch(() => undefined);
    const errno = (error as { errno?: number }).errno;
    // 1148 ER_NOT_ALLOWED_COMMAND (MySQL 5.7), 3948 ER_CLIENT_LOCAL_FILES_DISABLED (MySQL 8),
    // 4166 ER_LOAD_INFILE_CAPABILITY_DISABLED (MariaDB 10.5+).
    if (errno === 1148 || errno === 3948 || errno === 4166) {
      throw new ConnectionError('the target refuses LOAD DATA LOCAL INFILE: set local_infile=1 (on RDS: in the DB parameter group)');
    }
    throw error;
  }
}
