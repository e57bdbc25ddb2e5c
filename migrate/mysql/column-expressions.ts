import { quoteId } from './connect.ts';
import type { ColumnInfo } from './schema-reader.ts';

/** Columns whose values are copied: generated columns are recomputed by the target. */
export function copiedColumns(columns: readonly ColumnInfo[]): ColumnInfo[] {
  return columns.filter((column) => !column.generated);
}

/**
 * What the reader selects for a column. The text protocol already gives exact DECIMAL, date,
 * binary and BIT (raw bytes) values; FLOAT prints only 6 digits, so it is widened to DOUBLE.
 */
export function selectExpression(column: ColumnInfo): string {
  const name = quoteId(column.name);
  if (column.dataType === 'float') return `(${name} + 0e0)`;
  return name;
}

/**
 * LOAD DATA column list entry. Deliberately never a SET clause: MariaDB 10.11 ignores
 * NO_AUTO_VALUE_ON_ZERO when LOAD DATA has one, turning a row with id 0 into a new id.
 */
export function loadTarget(column: ColumnInfo): { target: string; set?: string } {
  return { target: quoteId(column.name) };
}

/** The value a checksum hashes: like the copy, with BIT as a number so it concatenates as text. */
function checksumValue(column: ColumnInfo): string {
  if (column.dataType === 'bit') return `CAST(${quoteId(column.name)} AS UNSIGNED)`;
  return selectExpression(column);
}

/** The per-row value hashed by verify: every column's bytes plus a NULL map (NULL and '' differ). */
export function rowChecksumExpression(columns: readonly ColumnInfo[]): string {
  const values = columns.map((column) => `CAST(${checksumValue(column)} AS BINARY)`);
  const nullMap = columns.map((column) => `ISNULL(${quoteId(column.name)})`);
  return `CRC32(CONCAT_WS('#', ${values.join(', ')}, CONCAT(${nullMap.join(', ')})))`;
}
