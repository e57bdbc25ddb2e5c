import { createHash } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import type { BinlogPosition } from './binlog-position.ts';

/** `copy`: copying, the catch-up will start at `start`; `follow`: applying the binlog; `ddl`: stopped at a DDL statement. */
export type FollowPhase = 'copy' | 'follow' | 'ddl';
/** What the cutover command asked of the follower. */
export type CutoverState = 'requested' | 'done' | 'aborted';

export interface FollowState {
  readonly targetSchema: string;
  readonly sourceDatabase: string;
  readonly phase: FollowPhase;
  readonly start: BinlogPosition;
  readonly applied: BinlogPosition;
  readonly appliedChanges: number;
  readonly tables: readonly string[];
  readonly pendingDdl?: string;
  readonly lagSeconds?: number;
  readonly heartbeatAgeSeconds?: number;
  readonly cutover?: { readonly state: CutoverState; readonly position: BinlogPosition };
}

type Row = Record<string, unknown>;

function position(file: unknown, offset: unknown, gtid: unknown): BinlogPosition {
  return { file: String(file), position: Number(offset), ...(gtid ? { gtid: String(gtid) } : {}) };
}

/**
 * The follower's checkpoint on the target, in the tool's own schema: the applied binlog position
 * (file/offset and GTID), written in the same transaction as the rows it covers, the chunks that
 * changed since the snapshot (what the cutover verifies again), and the cutover handshake.
 */
export class FollowStateStore {
  readonly schema: string;

  constructor(
    stateSchema: string,
    readonly targetSchema: string,
  ) {
    this.schema = quoteId(stateSchema);
  }

  /** A named lock held by the running follower: a second follower is refused, the cutover knows it is alive. */
  get lockName(): string {
    return `ticketkit.follow.${createHash('sha1').update(`${this.schema}.${this.targetSchema}`).digest('hex').slice(0, 32)}`;
  }

  async ensure(connection: mysql.Connection): Promise<void> {
    await connection.query(`CREATE DATABASE IF NOT EXISTS ${this.schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.follow_state (
      target_schema VARCHAR(64) NOT NULL, source_database VARCHAR(64) NOT NULL, phase VARCHAR(16) NOT NULL,
      start_file VARCHAR(255) NOT NULL, start_position BIGINT NOT NULL, start_gtid TEXT NULL,
      applied_file VARCHAR(255) NOT NULL, applied_position BIGINT NOT NULL, applied_gtid TEXT NULL,
      applied_changes BIGINT NOT NULL DEFAULT 0, tables_json LONGTEXT NOT NULL, pending_ddl LONGTEXT NULL,
      lag_seconds DOUBLE NULL, heartbeat_at TIMESTAMP(3) NULL,
      cutover_state VARCHAR(16) NULL, cutover_file VARCHAR(255) NULL, cutover_position BIGINT NULL, cutover_gtid TEXT NULL,
      PRIMARY KEY (target_schema)) ENGINE=InnoDB`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.follow_touched (
      target_schema VARCHAR(64) NOT NULL, table_name VARCHAR(64) NOT NULL, chunk_index INT NOT NULL,
      PRIMARY KEY (target_schema, table_name, chunk_index)) ENGINE=InnoDB`);
  }

  async load(connection: mysql.Connection, forUpdate = false): Promise<FollowState | undefined> {
    let rows: Row[];
    try {
      [rows] = (await connection.query(`SELECT *, TIMESTAMPDIFF(MICROSECOND, heartbeat_at, NOW(3)) / 1e6 AS heartbeat_age FROM ${this.schema}.follow_state WHERE target_schema = ?${forUpdate ? ' FOR UPDATE' : ''}`, [
        this.targetSchema,
      ])) as unknown as [Row[]];
    } catch (error) {
      if ((error as { errno?: number }).errno === 1146 || (error as { errno?: number }).errno === 1049) return undefined;
      throw error;
    }
    const row = rows[0];
    if (!row) return undefined;
    return {
      targetSchema: this.targetSchema,
      sourceDatabase: String(row.source_database),
      phase: row.phase as FollowPhase,
      start: position(row.start_file, row.start_position, row.start_gtid),
      applied: position(row.applied_file, row.applied_position, row.applied_gtid),
      appliedChanges: Number(row.applied_changes),
      tables: JSON.parse(String(row.tables_json)) as string[],
      ...(row.pending_ddl ? { pendingDdl: String(row.pending_ddl) } : {}),
      ...(row.lag_seconds !== null ? { lagSeconds: Number(row.lag_seconds) } : {}),
      ...(row.heartbeat_age !== null ? { heartbeatAgeSeconds: Number(row.heartbeat_age) } : {}),
      ...(row.cutover_state
        ? { cutover: { state: row.cutover_state as CutoverState, position: position(row.cutover_file, row.cutover_position, row.cutover_gtid) } }
        : {}),
    };
  }

  /** A new follow (before the copy): where the catch-up will start, and which tables it covers. */
  async begin(connection: mysql.Connection, sourceDatabase: string, start: BinlogPosition, tables: readonly string[]): Promise<void> {
    await connection.query(`DELETE FROM ${this.schema}.follow_touched WHERE target_schema = ?`, [this.targetSchema]);
    await connection.query(
      `REPLACE INTO ${this.schema}.follow_state (target_schema, source_database, phase, start_file, start_position, start_gtid,
         applied_file, applied_position, applied_gtid, tables_json) VALUES (?, ?, 'copy', ?, ?, ?, ?, ?, ?, ?)`,
      [this.targetSchema, sourceDatabase, start.file, start.position, start.gtid ?? null, start.file, start.position, start.gtid ?? null, JSON.stringify(tables)],
    );
  }

  /** The copy is done: the catch-up starts at `start` (the snapshot, or an earlier point after a resumed copy). */
  async startFollowing(connection: mysql.Connection, start: BinlogPosition): Promise<void> {
    await connection.query(
      `UPDATE ${this.schema}.follow_state SET phase = 'follow', start_file = ?, start_position = ?, start_gtid = ?,
         applied_file = ?, applied_position = ?, applied_gtid = ?, pending_ddl = NULL WHERE target_schema = ?`,
      [start.file, start.position, start.gtid ?? null, start.file, start.position, start.gtid ?? null, this.targetSchema],
    );
  }

  /** Inside the batch's transaction, just before COMMIT: the rows and their position land together. */
  async checkpoint(connection: mysql.Connection, applied: BinlogPosition, changes: number, lagSeconds: number): Promise<void> {
    await connection.query(
      `UPDATE ${this.schema}.follow_state SET applied_file = ?, applied_position = ?, applied_gtid = ?,
         applied_changes = applied_changes + ?, lag_seconds = ?, heartbeat_at = NOW(3) WHERE target_schema = ?`,
      [applied.file, applied.position, applied.gtid ?? null, changes, lagSeconds, this.targetSchema],
    );
  }

  async heartbeat(connection: mysql.Connection, lagSeconds: number): Promise<void> {
    await connection.query(`UPDATE ${this.schema}.follow_state SET lag_seconds = ?, heartbeat_at = NOW(3) WHERE target_schema = ?`, [lagSeconds, this.targetSchema]);
  }

  async markTouched(connection: mysql.Connection, touched: readonly (readonly [string, number])[]): Promise<void> {
    if (!touched.length) return;
    await connection.query(`INSERT IGNORE INTO ${this.schema}.follow_touched (target_schema, table_name, chunk_index) VALUES ?`, [
      touched.map(([table, chunk]) => [this.targetSchema, table, chunk]),
    ]);
  }

  async loadTouched(connection: mysql.Connection): Promise<Map<string, Set<number>>> {
    const [rows] = await connection.query(`SELECT table_name AS name, chunk_index AS chunk FROM ${this.schema}.follow_touched WHERE target_schema = ?`, [this.targetSchema]);
    const touched = new Map<string, Set<number>>();
    for (const row of rows as { name: string; chunk: number }[]) touched.set(row.name, (touched.get(row.name) ?? new Set()).add(Number(row.chunk)));
    return touched;
  }

  /** Stopped at a DDL statement: the checkpoint moves past it once the engineer has applied it to the target. */
  async stopAtDdl(connection: mysql.Connection, statement: string, after: BinlogPosition): Promise<void> {
    await connection.query(
      `UPDATE ${this.schema}.follow_state SET phase = 'ddl', pending_ddl = ?, applied_file = ?, applied_position = ?, applied_gtid = ? WHERE target_schema = ?`,
      [statement, after.file, after.position, after.gtid ?? null, this.targetSchema],
    );
  }

  async resumeAfterDdl(connection: mysql.Connection): Promise<void> {
    await connection.query(`UPDATE ${this.schema}.follow_state SET phase = 'follow', pending_ddl = NULL WHERE target_schema = ?`, [this.targetSchema]);
  }

  async setCutover(connection: mysql.Connection, state: CutoverState, at?: BinlogPosition): Promise<void> {
    if (at) {
      await connection.query(
        `UPDATE ${this.schema}.follow_state SET cutover_state = ?, cutover_file = ?, cutover_position = ?, cutover_gtid = ? WHERE target_schema = ?`,
        [state, at.file, at.position, at.gtid ?? null, this.targetSchema],
      );
    } else {
      await connection.query(`UPDATE ${this.schema}.follow_state SET cutover_state = ? WHERE target_schema = ?`, [state, this.targetSchema]);
    }
  }
}
