import type mysql from 'mysql2/promise';

/** A session on the source that can still write while read_only=1 (after the cutover releases its lock). */
export interface BypassSession {
  readonly id: number;
  readonly user: string;
  readonly host: string;
  readonly database: string | null;
  readonly command: string;
}

export async function readOnlyState(source: mysql.Connection): Promise<boolean> {
  const [[row]] = (await source.query('SELECT @@global.read_only AS ro')) as unknown as [{ ro: number | string }[]];
  return Number(row!.ro) === 1 || row!.ro === 'ON';
}

export async function setReadOnly(source: mysql.Connection, on: boolean): Promise<void> {
  await source.query(`SET GLOBAL read_only = ${on ? 1 : 0}`);
}

/**
 * FLUSH TABLES WITH READ LOCK: even accounts that bypass read_only wait now. Bounded by the
 * remaining downtime budget (lock_wait_timeout), since a long transaction would hold it off.
 */
export async function lockAllWrites(source: mysql.Connection, timeoutSeconds: number): Promise<void> {
  await source.query(`SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(timeoutSeconds))}`);
  await source.query('FLUSH TABLES WITH READ LOCK');
}

export async function unlockWrites(source: mysql.Connection): Promise<void> {
  await source.query('UNLOCK TABLES');
}

/**
 * Connected sessions whose account holds SUPER or READ_ONLY ADMIN (MariaDB 10.5+): read_only does
 * not stop them. Only the accounts the cutover user may see in USER_PRIVILEGES are known.
 */
export async function bypassSessions(source: mysql.Connection): Promise<BypassSession[]> {
  const [rows] = await source.query(
    `SELECT p.ID AS id, p.USER AS user, p.HOST AS host, p.DB AS db, p.COMMAND AS command
       FROM information_schema.PROCESSLIST p
      WHERE p.ID <> CONNECTION_ID() AND p.COMMAND NOT IN ('Binlog Dump', 'Binlog Dump GTID', 'Daemon') AND p.USER NOT IN ('system user', 'event_scheduler')
        AND EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES u
                     WHERE u.GRANTEE LIKE CONCAT('''', REPLACE(p.USER, '_', '\\\\_'), '''@%')
                       AND u.PRIVILEGE_TYPE IN ('SUPER', 'READ_ONLY ADMIN'))
      ORDER BY p.ID`,
  );
  return (rows as { id: number; user: string; host: string; db: string | null; command: string }[]).map((row) => ({
    id: Number(row.id),
    user: row.user,
    host: row.host,
    database: row.db,
    command: row.command,
  }));
}
