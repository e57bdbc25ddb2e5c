import type { RowDifference } from '../mysql/checksum.ts';
import type { TableVerification } from '../operations/verify-tables.ts';
import { formatCount } from '../progress/rates.ts';

export function describeDifference(difference: RowDifference): string {
  const key = difference.key
    ? Object.entries(difference.key)
        .map(([column, value]) => `${column}=${value}`)
        .join(',')
    : '(no primary key)';
  const meaning = { changed: 'differs', missing: 'missing on target', extra: 'extra on target' }[difference.kind];
  return `${difference.table} ${key}: ${meaning}`;
}

/** Lines naming each differing row, then a one-line verdict. */
export function formatVerification(tables: readonly TableVerification[]): string[] {
  const lines: string[] = [];
  for (const table of tables) {
    if (table.error) lines.push(`mismatch ${table.table}: ${table.error}`);
    for (const difference of table.differences) lines.push(`mismatch ${describeDifference(difference)}`);
    if (table.differenceCount > table.differences.length) {
      lines.push(`mismatch ${table.table}: ${formatCount(table.differenceCount - table.differences.length)} more differing rows not listed`);
    }
  }
  const bad = tables.filter((table) => table.verdict === 'mismatch');
  const rows = tables.reduce((sum, table) => sum + table.sourceRows, 0);
  lines.push(
    bad.length === 0
      ? `verified: ${tables.length} tables, ${formatCount(rows)} rows identical`
      : `verification FAILED: ${bad.length} of ${tables.length} tables differ (${bad.map((table) => table.table).join(', ')})`,
  );
  return lines;
}

export function mismatchSummary(tables: readonly TableVerification[]): string | undefined {
  const bad = tables.filter((table) => table.verdict === 'mismatch');
  if (bad.length === 0) return undefined;
  const rows = bad.reduce((sum, table) => sum + table.differenceCount, 0);
  return `source and target differ: ${rows} rows in ${bad.map((table) => table.table).join(', ')}`;
}
