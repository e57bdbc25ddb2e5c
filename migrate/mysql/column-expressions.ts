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

// Types whose text can never contain TAB, LF or a backslash: sent without escaping.
const PLAIN_TYPES = new Set([
  'tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint', 'decimal', 'numeric', 'float', 'double', 'real',
  'date', 'datetime', 'timestamp', 'time', 'year',
]);

/** Hex literals: immune to the session's NO_BACKSLASH_ESCAPES and binary like the values. */
const ESCAPE_STEPS: readonly [string, string][] = [
  ["X'5C'", "X'5C5C'"], // \ first, so later escapes are not doubled
  ["X'09'", "X'5C74'"], // TAB -> \t
  ["X'0A'", "X'5C6E'"], // LF -> \n
];

function escapedField(column: ColumnInfo): string {
  const name = quoteId(column.name);
  let value: string;
  if (PLAIN_TYPES.has(column.dataType)) {
    value = selectExpression(column);
  } else {
    // Raw bytes in the column's own character set (no conversion), escaped for LOAD DATA.
    value = `CAST(${name} AS BINARY)`;
    for (const [from, to] of ESCAPE_STEPS) value = `REPLACE(${value}, ${from}, ${to})`;
  }
  return column.nullable ? `IFNULL(${value}, X'5C4E')` : value;
}

/**
 * One LOAD DATA text line per row, built by the source server: the client only forwards bytes
 * (one field per row instead of one per column, which is what dominates the client's CPU).
 */
export function tsvLineExpression(columns: readonly ColumnInfo[]): string {
  if (columns.length === 1) return `CONCAT(${escapedField(columns[0]!)})`;
  return `CONCAT_WS(X'09', ${columns.map(escapedField).join(', ')})`;
}

/**
 * LOAD DATA column list entry. Deliberately never a SET clause: MariaDB 10.11 ignores
 * NO_AUTO_VALUE_ON_ZERO when LOAD DATA has one, turning a row with id 0 into a new id.
 */
export function loadTarget(column: ColumnInfo): { target: string; set?: string } {
  return { target: quoteId(column.name) };
}
