import type { ChunkRange } from '../mysql/chunk-planner.ts';
import { copiedColumns } from '../mysql/column-expressions.ts';
import type { ColumnInfo, TableInfo } from '../mysql/schema-reader.ts';
import type { RowImage } from './row-change.ts';

/** What the applier needs to know about one followed table. */
export interface FollowTable {
  readonly name: string;
  /** Columns written by the applier, in table order: generated columns are left to the target. */
  readonly columns: readonly ColumnInfo[];
  /** Columns that identify a row (primary key, or a NOT NULL unique key). */
  readonly key: readonly string[];
  /** The copy chunk a row's key falls in, so the cutover verifies only chunks that changed. */
  chunkOf(row: RowImage): number;
}

/** Maps an integer key to its copy chunk (ranges with open ends, as the chunk planner made them). */
export function chunkLocator(table: TableInfo, chunks: readonly ChunkRange[]): (row: RowImage) => number {
  const key = table.integerKey;
  if (!key || chunks.length <= 1) return () => chunks[0]?.index ?? 0;
  const bounds = chunks.map((chunk) => ({ index: chunk.index, lo: chunk.lo === undefined ? undefined : BigInt(chunk.lo) }));
  return (row) => {
    const value = row[key];
    if (value === null || value === undefined) return bounds[0]!.index;
    const id = BigInt(String(value));
    let found = bounds[0]!.index;
    for (const bound of bounds) {
      if (bound.lo === undefined || bound.lo <= id) found = bound.index;
      else break;
    }
    return found;
  };
}

export function followTable(table: TableInfo, key: readonly string[], chunks: readonly ChunkRange[]): FollowTable {
  return { name: table.name, columns: copiedColumns(table.columns), key, chunkOf: chunkLocator(table, chunks) };
}
