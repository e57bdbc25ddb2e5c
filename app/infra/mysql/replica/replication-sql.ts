import type { Connection, RowDataPacket } from 'mysql2/promise';

/** MariaDB and MySQL name replication positions and their waits differently. */
export type Flavor = 'mariadb' | 'mysql';

export async function detectFlavor(db: Pick<Connection, 'query'>): Promise<Flavor> {
  const [[row]] = await db.query<RowDataPacket[]>('SELECT VERSION() AS version');
  return /mariadb/i.test(String(row?.version)) ? 'mariadb' : 'mysql';
}

/**
 * Everything the primary has committed so far, as a GTID position: MariaDB's `gtid_binlog_pos`
 * (`0-1-1234`, one GTID per replication domain), MySQL's `gtid_executed` (`uuid:1-1234,...`, which needs
 * `gtid_mode=ON`). Empty when the server writes no binary log: nothing to wait for, read the primary.
 */
export async function primaryPosition(db: Pick<Connection, 'query'>, flavor: Flavor): Promise<string> {
  const variable = flavor === 'mariadb' ? '@@global.gtid_binlog_pos' : '@@global.gtid_executed';
  const [[row]] = await db.query<RowDataPacket[]>(`SELECT ${variable} AS position`);
  return String(row?.position ?? '').replace(/\s+/g, '');
}

/**
 * Waits on the replica until it has applied `position`, at most `timeoutMs`: true when it has.
 * MariaDB: MASTER_GTID_WAIT (0, or -1 on timeout); MySQL: WAIT_FOR_EXECUTED_GTID_SET (0, or 1).
 */
export async function waitForPosition(db: Pick<Connection, 'query'>, flavor: Flavor, position: string, timeoutMs: number): Promise<boolean> {
  const wait = flavor === 'mariadb' ? 'MASTER_GTID_WAIT(?, ?)' : 'WAIT_FOR_EXECUTED_GTID_SET(?, ?)';
  const [[row]] = await db.query<RowDataPacket[]>(`SELECT ${wait} AS result`, [position, timeoutMs / 1000]);
  return Number(row?.result) === 0 && row?.result !== null;
}

/**
 * How far the replica's applied data is behind its primary, in seconds; `null` when it is not replicating
 * (a thread stopped, or no replication configured). SHOW REPLICA STATUS exists on MariaDB >= 10.5.1 and
 * MySQL >= 8.0.22, with `Seconds_Behind_Master` / `Seconds_Behind_Source`; it needs the SLAVE MONITOR
 * (MariaDB) or REPLICATION CLIENT (MySQL) privilege.
 */
export async function replicaLagSeconds(db: Pick<Connection, 'query'>, timeoutMs: number): Promise<number | null> {
  const [rows] = await db.query<RowDataPacket[]>({ sql: 'SHOW REPLICA STATUS', timeout: timeoutMs });
  const status = rows[0];
  if (!status) return null;
  const seconds = status.Seconds_Behind_Source ?? status.Seconds_Behind_Master;
  return seconds === null || seconds === undefined ? null : Number(seconds);
}
