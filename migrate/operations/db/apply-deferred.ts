import type mysql from 'mysql2/promise';
import { quoteId } from '../../mysql/connect.ts';
import { deferredAlter } from '../../mysql/table-ddl.ts';

/** SHOW CREATE TABLE lines that should exist at a phase (AUTO_INCREMENT ignored: it moves with the data). */
function comparableLines(sql: string, withForeignKeys: boolean): string {
  return sql
    .replace(/ AUTO_INCREMENT=\d+/, '')
    .split('\n')
    .filter((line) => withForeignKeys || !/^\s*CONSTRAINT .* FOREIGN KEY /i.test(line))
    .map((line) => line.trim().replace(/,$/, ''))
    .sort()
    .join('\n');
}

/**
 * Runs a deferred ALTER. After a crash between the ALTER and its checkpoint, the indexes already
 * exist: accepted when the table now matches the source definition.
 */
export async function applyDeferred(
  writer: mysql.Connection,
  table: string,
  clauses: readonly string[],
  expectedCreateSql: string,
  withForeignKeys: boolean,
  targetDatabase: string,
): Promise<void> {
  const alter = deferredAlter(`${quoteId(targetDatabase)}.${quoteId(table)}`, clauses);
  if (!alter) return;
  try {
    await writer.query(alter);
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    // 1061 duplicate key name, 1826 duplicate foreign key, 1022 duplicate key on write.
    if (errno !== 1061 && errno !== 1826 && errno !== 1022) throw error;
    const [rows] = await writer.query(`SHOW CREATE TABLE ${quoteId(targetDatabase)}.${quoteId(table)}`);
    const actual = String((rows as Record<string, unknown>[])[0]!['Create Table']);
    if (comparableLines(actual, withForeignKeys) !== comparableLines(expectedCreateSql, withForeignKeys)) throw error;
  }
}
