import type mysql from 'mysql2/promise';

/**
 * Tables of `database` (among `tables`) with neither a primary key nor a unique key over NOT NULL
 * columns (whole columns, not prefixes): a row of such a table cannot be found again by its values
 * alone, so a catch-up from the binlog cannot apply an update or a delete to it.
 */
export async function tablesWithoutRowIdentity(connection: mysql.Connection, database: string, tables: readonly string[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const [rows] = await connection.query(
    `SELECT s.TABLE_NAME AS tableName
       FROM information_schema.STATISTICS s
       JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = s.TABLE_SCHEMA AND c.TABLE_NAME = s.TABLE_NAME AND c.COLUMN_NAME = s.COLUMN_NAME
      WHERE s.TABLE_SCHEMA = ? AND s.NON_UNIQUE = 0
      GROUP BY s.TABLE_NAME, s.INDEX_NAME
     HAVING SUM(c.IS_NULLABLE = 'YES') = 0 AND SUM(s.SUB_PART IS NOT NULL) = 0`,
    [database],
  );
  const identified = new Set((rows as { tableName: string }[]).map((row) => row.tableName));
  return tables.filter((table) => !identified.has(table));
}
