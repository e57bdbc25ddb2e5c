import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';
import { chunkWhere, type ChunkRange } from './chunk-planner.ts';
import { tsvLineExpression } from './column-expressions.ts';
import type { ColumnInfo } from './schema-reader.ts';
import type { TableInfo } from './schema-reader.ts';

export interface ChunkChecksum {
  readonly rows: number;
  /**
   * Sum of CRC32 of each row's LOAD DATA line (every byte of every value, NULL as \N), as text
   * since it exceeds 2^53. The copy computes the same sum over the lines it sends.
   */
  readonly sum: string;
}

/** Computed by the server over its own rows: only two numbers per chunk cross the network. */
export async function chunkChecksum(
  connection: mysql.Connection,
  table: TableInfo,
  chunk: ChunkRange,
  columns: readonly ColumnInfo[] = table.columns,
): Promise<ChunkChecksum> {
  const [rows] = await connection.query(
    `SELECT COUNT(*) AS n, CAST(COALESCE(SUM(CRC32(${tsvLineExpression(columns)})), 0) AS CHAR) AS s
       FROM ${quoteId(table.name)} WHERE ${chunkWhere(table, chunk)}`,
  );
  const row = (rows as { n: number | string; s: string | Buffer }[])[0]!;
  return { rows: Number(row.n), sum: String(row.s) };
}

export type DifferenceKind = 'changed' | 'missing' | 'extra';

export interface RowDifference {
  readonly table: string;
  readonly kind: DifferenceKind;
  /** Primary key column -> value; absent for tables without a primary key. */
  readonly key?: Readonly<Record<string, string>>;
}

async function rowHashes(connection: mysql.Connection, table: TableInfo, chunk: ChunkRange): Promise<Map<string, number>> {
  const keyColumns = table.primaryKey.map((name) => `CAST(${quoteId(name)} AS CHAR) AS ${quoteId(`k_${name}`)}`);
  const hash = `CRC32(${tsvLineExpression(table.columns)}) AS row_hash`;
  const [rows] = await connection.query({
    sql: `SELECT ${[...keyColumns, hash].join(', ')} FROM ${quoteId(table.name)} WHERE ${chunkWhere(table, chunk)}`,
    rowsAsArray: true,
  });
  const hashes = new Map<string, number>();
  for (const row of rows as unknown[][]) {
    const rowHash = Number(row[row.length - 1]);
    // Without a primary key the row's own hash is its identity; the count tracks duplicates.
    const key = table.primaryKey.length ? JSON.stringify(row.slice(0, -1).map((value) => String(value))) : String(rowHash);
    hashes.set(key, table.primaryKey.length ? rowHash : (hashes.get(key) ?? 0) + 1);
  }
  return hashes;
}

/** Narrows a mismatched chunk down to the rows that differ (missing, extra, changed). */
export async function diffChunk(
  source: mysql.Connection,
  target: mysql.Connection,
  table: TableInfo,
  chunk: ChunkRange,
): Promise<RowDifference[]> {
  const [sourceRows, targetRows] = await Promise.all([rowHashes(source, table, chunk), rowHashes(target, table, chunk)]);
  const differences: RowDifference[] = [];
  const describe = (key: string): Record<string, string> | undefined => {
    if (!table.primaryKey.length) return undefined;
    const values = JSON.parse(key) as string[];
    return Object.fromEntries(table.primaryKey.map((name, index) => [name, values[index]!]));
  };
  const push = (kind: DifferenceKind, key: string): void => {
    const described = describe(key);
    differences.push({ table: table.name, kind, ...(described ? { key: described } : {}) });
  };
  for (const [key, value] of sourceRows) {
    const other = targetRows.get(key);
    if (table.primaryKey.length) {
      if (other === undefined) push('missing', key);
      else if (other !== value) push('changed', key);
    } else {
      for (let n = other ?? 0; n < value; n += 1) push('missing', key);
    }
  }
  for (const [key, value] of targetRows) {
    const other = sourceRows.get(key);
    if (table.primaryKey.length) {
      if (other === undefined) push('extra', key);
    } else {
      for (let n = other ?? 0; n < value; n += 1) push('extra', key);
    }
  }
  return differences;
}
