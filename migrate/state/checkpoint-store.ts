import type mysql from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import type { ChunkRange } from '../mysql/chunk-planner.ts';
import type { SnapshotInfo } from '../mysql/snapshot.ts';

export { DEFAULT_STATE_SCHEMA } from './state-schema.ts';

/**
 * `loading`: table created, chunks being copied; `indexed`: all rows in, secondary indexes built;
 * `complete`: foreign keys added too.
 */
export type TablePhase = 'loading' | 'indexed' | 'complete';

export interface TableCheckpoint {
  readonly table: string;
  readonly phase: TablePhase;
  readonly chunks: readonly ChunkRange[];
  readonly deferred: readonly string[];
  readonly doneChunks: ReadonlyMap<number, DoneChunk>;
}

/** A copied chunk: its row count, bytes and the checksum of the lines read from the source. */
export interface DoneChunk {
  readonly rows: number;
  readonly bytes: number;
  readonly checksum: string;
  /**
   * Rows and checksum the target computed over the chunk inside the transaction that loaded it
   * (absent with --no-verify): what verification compares with the source's.
   */
  readonly target?: { readonly rows: number; readonly sum: string };
}

/**
 * Checkpoints per table and per chunk (like ghostferry's state tracker). A chunk's row lands in the
 * same transaction as the chunk's data, so after kill -9 a chunk is either fully there or absent.
 */
export class CheckpointStore {
  private readonly schema: string;

  constructor(
    private readonly stateSchema: string,
    private readonly targetSchema: string,
  ) {
    this.schema = quoteId(stateSchema);
  }

  async ensure(connection: mysql.Connection): Promise<void> {
    await connection.query(`CREATE DATABASE IF NOT EXISTS ${this.schema} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.copy_tables (
      target_schema VARCHAR(64) NOT NULL, table_name VARCHAR(64) NOT NULL, phase VARCHAR(16) NOT NULL,
      chunk_plan LONGTEXT NOT NULL, deferred_ddl LONGTEXT NOT NULL,
      updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
      PRIMARY KEY (target_schema, table_name)) ENGINE=InnoDB`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.copy_chunks (
      target_schema VARCHAR(64) NOT NULL, table_name VARCHAR(64) NOT NULL, chunk_index INT NOT NULL,
      rows_copied BIGINT NOT NULL, bytes_copied BIGINT NOT NULL, source_checksum VARCHAR(40) NOT NULL,
      target_rows BIGINT NULL, target_checksum VARCHAR(40) NULL,
      copied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (target_schema, table_name, chunk_index)) ENGINE=InnoDB`);
    await this.addMissingColumns(connection);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.copy_runs (
      id BIGINT NOT NULL AUTO_INCREMENT, target_schema VARCHAR(64) NOT NULL, source VARCHAR(1024) NOT NULL,
      snapshot LONGTEXT NOT NULL, started_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      finished_at TIMESTAMP(3) NULL, outcome VARCHAR(32) NULL, PRIMARY KEY (id)) ENGINE=InnoDB`);
  }

  /** A state schema written by an earlier version of the tool lacks the target checksum columns. */
  private async addMissingColumns(connection: mysql.Connection): Promise<void> {
    const [rows] = await connection.query(
      "SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'copy_chunks' AND COLUMN_NAME = 'target_checksum'",
      [this.stateSchema],
    );
    if (Number((rows as { n: number }[])[0]!.n) === 0) {
      await connection.query(`ALTER TABLE ${this.schema}.copy_chunks ADD COLUMN target_rows BIGINT NULL, ADD COLUMN target_checksum VARCHAR(40) NULL`);
    }
  }

  async load(connection: mysql.Connection): Promise<Map<string, TableCheckpoint>> {
    const [tables] = await connection.query(
      `SELECT table_name AS name, phase, chunk_plan AS plan, deferred_ddl AS deferred FROM ${this.schema}.copy_tables WHERE target_schema = ?`,
      [this.targetSchema],
    );
    const [chunks] = await connection.query(
      `SELECT table_name AS name, chunk_index AS chunk, ${DONE_COLUMNS} FROM ${this.schema}.copy_chunks WHERE target_schema = ?`,
      [this.targetSchema],
    );
    const done = new Map<string, Map<number, DoneChunk>>();
    for (const row of chunks as (DoneRow & { name: string; chunk: number })[]) {
      const map = done.get(row.name) ?? new Map();
      map.set(Number(row.chunk), doneChunk(row));
      done.set(row.name, map);
    }
    const result = new Map<string, TableCheckpoint>();
    for (const row of tables as { name: string; phase: TablePhase; plan: string; deferred: string }[]) {
      result.set(row.name, {
        table: row.name,
        phase: row.phase,
        chunks: JSON.parse(row.plan) as ChunkRange[],
        deferred: JSON.parse(row.deferred) as string[],
        doneChunks: done.get(row.name) ?? new Map(),
      });
    }
    return result;
  }

  /** Forgets earlier progress for a table that is about to be copied from scratch. */
  async reset(connection: mysql.Connection, table: string): Promise<void> {
    await connection.query(`DELETE FROM ${this.schema}.copy_chunks WHERE target_schema = ? AND table_name = ?`, [this.targetSchema, table]);
    await connection.query(`DELETE FROM ${this.schema}.copy_tables WHERE target_schema = ? AND table_name = ?`, [this.targetSchema, table]);
  }

  async startTable(connection: mysql.Connection, table: string, chunks: readonly ChunkRange[], deferred: readonly string[]): Promise<void> {
    await connection.query(
      `REPLACE INTO ${this.schema}.copy_tables (target_schema, table_name, phase, chunk_plan, deferred_ddl) VALUES (?, ?, 'loading', ?, ?)`,
      [this.targetSchema, table, JSON.stringify(chunks), JSON.stringify(deferred)],
    );
  }

  /** Called inside the chunk's own transaction, just before COMMIT. */
  async markChunk(connection: mysql.Connection, table: string, chunk: number, done: DoneChunk): Promise<void> {
    await connection.query(
      `INSERT INTO ${this.schema}.copy_chunks (target_schema, table_name, chunk_index, rows_copied, bytes_copied, source_checksum, target_rows, target_checksum) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [this.targetSchema, table, chunk, done.rows, done.bytes, done.checksum, done.target?.rows ?? null, done.target?.sum ?? null],
    );
  }

  /** A chunk's checkpoint, if it committed: after a connection lost during COMMIT, this says whether it did. */
  async findChunk(connection: mysql.Connection, table: string, chunk: number): Promise<DoneChunk | undefined> {
    const [rows] = await connection.query(
      `SELECT ${DONE_COLUMNS} FROM ${this.schema}.copy_chunks WHERE target_schema = ? AND table_name = ? AND chunk_index = ?`,
      [this.targetSchema, table, chunk],
    );
    const row = (rows as DoneRow[])[0];
    return row ? doneChunk(row) : undefined;
  }

  async markPhase(connection: mysql.Connection, table: string, phase: TablePhase): Promise<void> {
    await connection.query(`UPDATE ${this.schema}.copy_tables SET phase = ? WHERE target_schema = ? AND table_name = ?`, [
      phase,
      this.targetSchema,
      table,
    ]);
  }

  async startRun(connection: mysql.Connection, source: string, snapshot: SnapshotInfo): Promise<number> {
    const [result] = await connection.query(`INSERT INTO ${this.schema}.copy_runs (target_schema, source, snapshot) VALUES (?, ?, ?)`, [
      this.targetSchema,
      source,
      JSON.stringify(snapshot),
    ]);
    return (result as mysql.ResultSetHeader).insertId;
  }

  async finishRun(connection: mysql.Connection, runId: number, outcome: string): Promise<void> {
    await connection.query(`UPDATE ${this.schema}.copy_runs SET finished_at = CURRENT_TIMESTAMP(3), outcome = ? WHERE id = ?`, [outcome, runId]);
  }

  /**
   * The latest run into this target: where its snapshot sits in the source's history (binlog file,
   * position, GTID) and how it ended. What a catch-up started later, or a cut-over, starts from.
   */
  async lastRun(connection: mysql.Connection): Promise<RecordedRun | undefined> {
    const [rows] = await connection.query(
      `SELECT id, source, snapshot, CAST(started_at AS CHAR) AS startedAt, CAST(finished_at AS CHAR) AS finishedAt, outcome
         FROM ${this.schema}.copy_runs WHERE target_schema = ? ORDER BY id DESC LIMIT 1`,
      [this.targetSchema],
    );
    const row = (rows as { id: number | string; source: string; snapshot: string; startedAt: string; finishedAt: string | null; outcome: string | null }[])[0];
    if (!row) return undefined;
    return {
      id: Number(row.id),
      source: row.source,
      snapshot: JSON.parse(row.snapshot) as SnapshotInfo,
      startedAt: row.startedAt,
      ...(row.finishedAt ? { finishedAt: row.finishedAt } : {}),
      ...(row.outcome ? { outcome: row.outcome } : {}),
    };
  }
}

/** One `db` run as the state schema recorded it. */
export interface RecordedRun {
  readonly id: number;
  /** The source URL, password masked. */
  readonly source: string;
  readonly snapshot: SnapshotInfo;
  readonly startedAt: string;
  readonly finishedAt?: string;
  /** `verified`, `mismatch` or `copied` (not verified); absent while running or after a crash. */
  readonly outcome?: string;
}

const DONE_COLUMNS = 'rows_copied AS `rows`, bytes_copied AS bytes, source_checksum AS checksum, target_rows AS targetRows, target_checksum AS targetSum';

interface DoneRow {
  rows: string | number;
  bytes: string | number;
  checksum: string;
  targetRows: string | number | null;
  targetSum: string | null;
}

function doneChunk(row: DoneRow): DoneChunk {
  const target = row.targetRows === null || row.targetSum === null ? undefined : { rows: Number(row.targetRows), sum: row.targetSum };
  return { rows: Number(row.rows), bytes: Number(row.bytes), checksum: row.checksum, ...(target ? { target } : {}) };
}
