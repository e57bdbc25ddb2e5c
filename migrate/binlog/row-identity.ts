import type mysql from 'mysql2/promise';
import type { TableInfo } from '../mysql/schema-reader.ts';

/**
 * The columns that identify a row for the follower: the primary key, or else the first unique key
 * whose columns are all NOT NULL (what MariaDB replication itself can use). Tables with neither are
 * refused before anything is copied: an UPDATE could not say which row it changed.
 */
export async function readRowIdentities(
  connection: mysql.Connection,
  database: string,
  tables: readonly TableInfo[],
): Promise<Map<string, readonly string[]>> {
  const [rows] = await connection.query(
    `SELECT TABLE_NAME AS tableName, INDEX_NAME AS indexName, COLUMN_NAME AS columnName, NULLABLE AS nullable
       FROM information_schema.STATISTICS
      WHERE TABLE_SCHEMA = ? AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY'
      ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
    [database],
  );
  const unique = new Map<string, Map<string, { columns: string[]; nullable: boolean }>>();
  for (const row of rows as { tableName: string; indexName: string; columnName: string; nullable: string }[]) {
    const indexes = unique.get(row.tableName) ?? new Map<string, { columns: string[]; nullable: boolean }>();
    const index = indexes.get(row.indexName) ?? { columns: [], nullable: false };
    index.columns.push(row.columnName);
    index.nullable ||= row.nullable === 'YES';
    indexes.set(row.indexName, index);
    unique.set(row.tableName, indexes);
  }
  const identities = new Map<string, readonly string[]>();
  for (const table of tables) {
    if (table.primaryKey.length) {
      identities.set(table.name, table.primaryKey);
      continue;
    }
    const candidate = [...(unique.get(table.name)?.values() ?? [])].find((index) => !index.nullable);
    if (candidate) identities.set(table.name, candidate.columns);
  }
  return identities;
}
