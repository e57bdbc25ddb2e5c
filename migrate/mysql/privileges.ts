import type mysql from 'mysql2/promise';

/** What the session's user may do in one database, from the server's own privilege tables. */
export interface DatabasePrivileges {
  /** `user@host` as the server matched the login (CURRENT_USER()). */
  readonly user: string;
  /** Privileges on every database (`GRANT ... ON *.*`) or on this one (incl. wildcard grants such as `tk\_%`). */
  readonly database: ReadonlySet<string>;
  /** Privileges granted on single tables of this database. */
  readonly tables: ReadonlyMap<string, ReadonlySet<string>>;
}

type Row = Record<string, unknown>;

/**
 * Reads information_schema's USER_, SCHEMA_ and TABLE_PRIVILEGES for the current user and its
 * enabled roles (every user may read its own rows). A database that does not exist yet is matched
 * against wildcard grants by the server's own LIKE, as the server will match it once created.
 */
export async function readDatabasePrivileges(connection: mysql.Connection, databaseName: string): Promise<DatabasePrivileges> {
  const [[current]] = (await connection.query('SELECT CURRENT_USER() AS user')) as unknown as [Row[]];
  const user = String(current!.user);
  const at = user.lastIndexOf('@');
  const grantees = [`'${user.slice(0, at)}'@'${user.slice(at + 1)}'`];
  try {
    const [roles] = await connection.query('SELECT ROLE_NAME AS role FROM information_schema.ENABLED_ROLES WHERE ROLE_NAME IS NOT NULL');
    for (const row of roles as Row[]) grantees.push(`'${String(row.role)}'`, `'${String(row.role)}'@''`, `'${String(row.role)}'@'%'`);
  } catch {
    // no roles on this server
  }
  const [global] = await connection.query('SELECT PRIVILEGE_TYPE AS p FROM information_schema.USER_PRIVILEGES WHERE GRANTEE IN (?)', [grantees]);
  const [schema] = await connection.query('SELECT PRIVILEGE_TYPE AS p FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE IN (?) AND ? LIKE TABLE_SCHEMA', [
    grantees,
    databaseName,
  ]);
  const [table] = await connection.query(
    'SELECT TABLE_NAME AS t, PRIVILEGE_TYPE AS p FROM information_schema.TABLE_PRIVILEGES WHERE GRANTEE IN (?) AND TABLE_SCHEMA = ?',
    [grantees, databaseName],
  );
  const database = new Set([...(global as Row[]), ...(schema as Row[])].map((row) => String(row.p).toUpperCase()));
  const tables = new Map<string, Set<string>>();
  for (const row of table as Row[]) {
    const set = tables.get(String(row.t)) ?? new Set<string>();
    set.add(String(row.p).toUpperCase());
    tables.set(String(row.t), set);
  }
  return { user, database, tables };
}

/** The privileges of `wanted` the user lacks on `table` (or on the whole database when no table is named). */
export function missingPrivileges(privileges: DatabasePrivileges, wanted: readonly string[], table?: string): string[] {
  const onTable = table === undefined ? undefined : privileges.tables.get(table);
  return wanted.filter((privilege) => !privileges.database.has(privilege) && !onTable?.has(privilege));
}
