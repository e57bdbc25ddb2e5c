import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';
import { prepareReaderSession } from './session.ts';

export type SnapshotLock = 'flush-tables-with-read-lock' | 'lock-tables' | 'none';

/** Where the snapshot sits in the source's history, so a later catch-up can start from there. */
export interface SnapshotInfo {
  readonly takenAt: string;
  readonly lock: SnapshotLock;
  readonly binlogEnabled: boolean;
  readonly binlogFile?: string;
  readonly binlogPosition?: number;
  readonly gtid?: string;
  readonly note?: string;
}

export interface SnapshotReaders {
  readonly readers: mysql.Connection[];
  readonly snapshot: SnapshotInfo;
  close(): Promise<void>;
}

type Row = Record<string, unknown>;

async function lockForSnapshot(coordinator: mysql.Connection, database: string, tables: readonly string[]): Promise<SnapshotLock> {
  try {
    await coordinator.query('FLUSH TABLES WITH READ LOCK');
    return 'flush-tables-with-read-lock';
  } catch {
    // No RELOAD privilege (common for application users): a read lock on the copied tables still
    // stops writes long enough for every reader to open its snapshot.
  }
  if (tables.length === 0) return 'none';
  try {
    await coordinator.query(`LOCK TABLES ${tables.map((table) => `${quoteId(database)}.${quoteId(table)} READ`).join(', ')}`);
    return 'lock-tables';
  } catch {
    return 'none';
  }
}

async function readBinlogPosition(coordinator: mysql.Connection): Promise<Pick<SnapshotInfo, 'binlogEnabled' | 'binlogFile' | 'binlogPosition' | 'gtid'>> {
  let status: Row | undefined;
  try {
    [[status]] = (await coordinator.query('SHOW MASTER STATUS')) as unknown as [Row[]];
  } catch {
    // MySQL 8.4 renamed it (untested here: only MariaDB runs on this machine).
    [[status]] = (await coordinator.query('SHOW BINARY LOG STATUS')) as unknown as [Row[]];
  }
  const [[gtidRow]] = (await coordinator.query(
    "SELECT COALESCE(@@global.gtid_binlog_pos, '') AS gtid",
  ).catch(() => coordinator.query("SELECT @@global.gtid_executed AS gtid"))) as unknown as [Row[]];
  const gtid = String(gtidRow?.gtid ?? '') || undefined;
  if (!status) return { binlogEnabled: false };
  return {
    binlogEnabled: true,
    binlogFile: String(status.File),
    binlogPosition: Number(status.Position),
    ...(gtid ? { gtid } : {}),
  };
}

/**
 * Opens `count` reader connections that all see the same point in time (as mydumper does): a
 * brief global read lock, the binlog position, one consistent-snapshot transaction per reader,
 * unlock. Writers on the source are blocked only for those few milliseconds.
 */
export async function openSnapshotReaders(options: {
  /** Opens a session on the source (with `database` selected when given). */
  readonly open: (database?: string) => Promise<mysql.Connection>;
  readonly database: string;
  readonly count: number;
  readonly tables: readonly string[];
}): Promise<SnapshotReaders> {
  const { open, database, count, tables } = options;
  const readers: mysql.Connection[] = [];
  const coordinator = await open();
  try {
    for (let i = 0; i < count; i += 1) {
      const reader = await open(database);
      readers.push(reader);
      await prepareReaderSession(reader);
    }
    const lock = await lockForSnapshot(coordinator, database, tables);
    const position = await readBinlogPosition(coordinator);
    await Promise.all(readers.map((reader) => reader.query('START TRANSACTION WITH CONSISTENT SNAPSHOT')));
    if (lock !== 'none') await coordinator.query('UNLOCK TABLES');
    const notes: string[] = [];
    if (!position.binlogEnabled) notes.push('binary logging is off on the source: no position recorded for a catch-up');
    if (lock === 'none') notes.push('no lock privilege: each reader has its own snapshot, consistent only if the source is idle');
    const snapshot: SnapshotInfo = {
      takenAt: new Date().toISOString(),
      lock,
      ...position,
      ...(notes.length ? { note: notes.join('; ') } : {}),
    };
    return {
      readers,
      snapshot,
      close: async () => {
        await Promise.all(readers.map((reader) => reader.end().catch(() => undefined)));
      },
    };
  } catch (error) {
    await Promise.all(readers.map((reader) => reader.end().catch(() => undefined)));
    throw error;
  } finally {
    await coordinator.end().catch(() => undefined);
  }
}
