import { quoteId } from './connect.ts';
import type { ColumnInfo } from './schema-reader.ts';

/** Columns whose values are copied: generated columns are recomputed by the target. */
export function copiedColumns(columns: readonly ColumnInfo[]): ColumnInfo[] {
  return columns.filter((column) => !column.generated);
}

/**
 * What the reader selects for a column. The text protocol already gives exact DECIMAL, date and
 * binary values; FLOAT prints only 6 digits, so it is widened to DOUBLE (exact), BIT as a number.
 */
export function selectExpression(column: ColumnInfo): string {
  const name = quoteId(column.name);
  if (column.dataType === 'float') return `(${name} + 0e0)`;
  if (column.dataType === 'bit') return `CAST(${name} AS UNSIGNED)`;
  return name;
}

/** LOAD DATA column list entry and optional SET clause for a column. */
export function loadTarget(column: ColumnInfo, index: number): { target: string; set?: string } {
  if (column.dataType === 'bit') return { target: `@v${index}`, set: `${quoteId(column.name)} = CAST(@v${index} AS UNSIGNED)` };
  return { target: quoteId(column.name) };
}

/** The per-row value hashed by verify: every column's bytes plus a NULL map (NULL and '' differ). */
export function rowChecksumExpression(columns: readonly ColumnInfo[]): string {
  const values = columns.map((column) => `CAST(${selectExpression(column)} AS BINARY)`);
  const nullMap = columns.map((column) => `ISNULL(${quoteId(column.name)})`);
  return `CRC32(CONCAT_WS('#', ${values.join(', ')}, CONCAT(${nullMap.join(', ')})))`;
}
