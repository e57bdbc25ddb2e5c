import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';

export interface ColumnInfo {
  readonly name: string;
  /** e.g. `int`, `varchar`, `bit`, `float`, `json` (lower case). */
  readonly dataType: string;
  /** Full type, e.g. `int(10) unsigned`. */
  readonly columnType: string;
  /** VIRTUAL/STORED/PERSISTENT columns are computed by the target: never inserted. */
  readonly generated: boolean;
  readonly nullable: boolean;
}

export interface TableInfo {
  readonly name: string;
  readonly engine: string;
  /** information_schema's estimate, not an exact count. */
  readonly rowsEstimate: number;
  readonly dataBytes: number;
  readonly indexBytes: number;
  readonly columns: readonly ColumnInfo[];
  readonly primaryKey: readonly string[];
  /** The single integer primary key column, when there is one: such tables split into key ranges. */
  readonly integerKey?: string;
}

export interface DatabaseInfo {
  readonly name: string;
  readonly charset: string;
  readonly collation: string;
}

const INTEGER_TYPES = new Set(['tinyint', 'smallint', 'mediumint', 'int', 'integer', 'bigint']);
// MySQL 8 marks expression defaults as DEFAULT_GENERATED: those are ordinary columns.
const GENERATED_EXTRA = /\b(VIRTUAL|STORED|PERSISTENT)\b/i;

export async function readDatabaseInfo(connection: mysql.Connection, database: string): Promise<DatabaseInfo | undefined> {
  const [rows] = await connection.query(
    'SELECT DEFAULT_CHARACTER_SET_NAME AS charset, DEFAULT_COLLATION_NAME AS collation FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?',
    [database],
  );
  const row = (rows as { charset: string; collation: string }[])[0];
  return row ? { name: database, charset: row.charset, collation: row.collation } : undefined;
}

/** Base tables of a database with columns and primary keys, largest first. */
export async function readTables(connection: mysql.Connection, database: string): Promise<TableInfo[]> {
  const [tableRows] = await connection.query(
    `SELECT TABLE_NAME AS name, ENGINE AS engine, COALESCE(TABLE_ROWS, 0) AS rowsEstimate,
            COALESCE(DATA_LENGTH, 0) AS dataBytes, COALESCE(INDEX_LENGTH, 0) AS indexBytes
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'`,
    [database],
  );
  const [columnRows] = await connection.query(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, DATA_TYPE AS dataType, COLUMN_TYPE AS columnType, EXTRA AS extra, IS_NULLABLE AS nullable
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const [keyRows] = await connection.query(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name FROM information_schema.KEY_COLUMN_USAGE
      WHERE TABLE_SCHEMA = ? AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [database],
  );
  const columns = new Map<string, ColumnInfo[]>();
  for (const row of columnRows as { tableName: string; name: string; dataType: string; columnType: string; extra: string; nullable: string }[]) {
    const list = columns.get(row.tableName) ?? [];
    list.push({
      name: row.name,
      dataType: row.dataType.toLowerCase(),
      columnType: row.columnType.toLowerCase(),
      generated: GENERATED_EXTRA.test(row.extra ?? ''),
      nullable: row.nullable === 'YES',
    });
    columns.set(row.tableName, list);
  }
  const keys = new Map<string, string[]>();
  for (const row of keyRows as { tableName: string; name: string }[]) {
    keys.set(row.tableName, [...(keys.get(row.tableName) ?? []), row.name]);
  }
  const tables = (tableRows as { name: string; engine: string; rowsEstimate: number | string; dataBytes: number | string; indexBytes: number | string }[]).map(
    (row): TableInfo => {
      const tableColumns = columns.get(row.name) ?? [];
      const primaryKey = keys.get(row.name) ?? [];
      const keyColumn = primaryKey.length === 1 ? tableColumns.find((column) => column.name === primaryKey[0]) : undefined;
      const integerKey = keyColumn && INTEGER_TYPES.has(keyColumn.dataType) ? keyColumn.name : undefined;
      return {
        name: row.name,
        engine: row.engine ?? '',
        rowsEstimate: Number(row.rowsEstimate),
        dataBytes: Number(row.dataBytes),
        indexBytes: Number(row.indexBytes),
        columns: tableColumns,
        primaryKey,
        ...(integerKey ? { integerKey } : {}),
      };
    },
  );
  return tables.sort((a, b) => b.dataBytes - a.dataBytes || a.name.localeCompare(b.name));
}

export async function showCreateTable(connection: mysql.Connection, database: string, table: string): Promise<string> {
  const [rows] = await connection.query(`SHOW CREATE TABLE ${quoteId(database)}.${quoteId(table)}`);
  return String((rows as Record<string, unknown>[])[0]!['Create Table']);
}

/** Keeps the tables named by --tables (all when empty) minus --exclude; unknown names are returned. */
export function selectTables<T extends { name: string }>(
  tables: readonly T[],
  include: readonly string[],
  exclude: readonly string[],
): { selected: T[]; unknown: string[] } {
  const names = new Set(tables.map((table) => table.name));
  const unknown = [...include, ...exclude].filter((name) => !names.has(name));
  const selected = tables.filter((table) => (include.length === 0 || include.includes(table.name)) && !exclude.includes(table.name));
  return { selected, unknown };
}
