import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';
import type { TableInfo } from './schema-reader.ts';

/** A primary-key range, inclusive; an absent bound is open so no row can fall between chunks. */
export interface ChunkRange {
  readonly index: number;
  readonly lo?: string;
  readonly hi?: string;
}

const INTEGER = /^-?\d+$/;

/**
 * Splits a table with a single integer key into ranges of about `chunkRows` rows (by MIN/MAX and
 * the row estimate: no counting scan, never OFFSET). Other tables are one chunk, read in key order.
 */
export async function planChunks(connection: mysql.Connection, table: TableInfo, chunkRows: number): Promise<ChunkRange[]> {
  if (!table.integerKey) return [{ index: 0 }];
  const key = quoteId(table.integerKey);
  const [rows] = await connection.query({
    sql: `SELECT CAST(MIN(${key}) AS CHAR) AS lo, CAST(MAX(${key}) AS CHAR) AS hi FROM ${quoteId(table.name)}`,
  });
  const { lo, hi } = (rows as { lo: string | null; hi: string | null }[])[0]!;
  if (lo === null || hi === null) return [{ index: 0 }];
  const min = BigInt(lo);
  const max = BigInt(hi);
  const chunks = BigInt(Math.max(1, Math.ceil(table.rowsEstimate / chunkRows)));
  const span = max - min + 1n;
  const width = span / chunks + (span % chunks === 0n ? 0n : 1n);
  const ranges: ChunkRange[] = [];
  for (let start = min, index = 0; start <= max; start += width, index += 1) {
    const end = start + width - 1n;
    ranges.push({
      index,
      ...(index === 0 ? {} : { lo: start.toString() }),
      ...(end >= max ? {} : { hi: end.toString() }),
    });
  }
  return ranges;
}

/** WHERE clause for a chunk; bounds are validated integers, so they are inlined exactly (no float). */
export function chunkWhere(table: TableInfo, chunk: ChunkRange): string {
  if (!table.integerKey) return '1=1';
  const key = quoteId(table.integerKey);
  const parts: string[] = [];
  for (const [bound, op] of [
    [chunk.lo, '>='],
    [chunk.hi, '<='],
  ] as const) {
    if (bound === undefined) continue;
    if (!INTEGER.test(bound)) throw new Error(`chunk bound is not an integer: ${bound}`);
    parts.push(`${key} ${op} ${bound}`);
  }
  return parts.length ? parts.join(' AND ') : '1=1';
}

/** ORDER BY for reading a chunk: key order, so InnoDB reads its clustered index sequentially. */
export function keyOrder(table: TableInfo): string {
  return table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(quoteId).join(', ')}` : '';
}
