import type mysql from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import type { ChunkRange } from '../mysql/chunk-planner.ts';

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
}

/**
 * Checkpoints per table and per chunk (like ghostferry's state tracker). A chunk's row lands in the
 * same transaction as the chunk's data, so after kill -9 a chunk is either fully there or absent.
 */
export class CheckpointStore {
  private readonly schema: string;

  constructor(
    stateSchema: string,
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
      copied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (target_schema, table_name, chunk_index)) ENGINE=InnoDB`);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.copy_runs (
      id BIGINT NOT NULL AUTO_INCREMENT, target_schema VARCHAR(64) NOT NULL, source VARCHAR(1024) NOT NULL,
      snapshot LONGTEXT NOT NULL, started_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      finished_at TIMESTAMP(3) NULL, outcome VARCHAR(32) NULL, PRIMARY KEY (id)) ENGINE=InnoDB`);
  }

  async load(connection: mysql.Connection): Promise<Map<string, TableCheckpoint>> {
    const [tables] = await connection.query(
      `SELECT table_name AS name, phase, chunk_plan AS plan, deferred_ddl AS deferred FROM ${this.schema}.copy_tables WHERE target_schema = ?`,
      [this.targetSchema],
    );
    const [chunks] = await connection.query(
      `SELECT table_name AS name, chunk_index AS chunk, rows_copied AS \`rows\`, bytes_copied AS bytes, source_checksum AS checksum FROM ${this.schema}.copy_chunks WHERE target_schema = ?`,
      [this.targetSchema],
    );
    const done = new Map<string, Map<number, DoneChunk>>();
    for (const row of chunks as { name: string; chunk: number; rows: string | number; bytes: string | number; checksum: string }[]) {
      const map = done.get(row.name) ?? new Map();
      map.set(Number(row.chunk), { rows: Number(row.rows), bytes: Number(row.bytes), checksum: row.checksum });
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
      `INSERT INTO ${this.schema}.copy_chunks (target_schema, table_name, chunk_index, rows_copied, bytes_copied, source_checksum) VALUES (?, ?, ?, ?, ?, ?)`,
      [this.targetSchema, table, chunk, done.rows, done.bytes, done.checksum],
    );
  }

  async markPhase(connection: mysql.Connection, table: string, phase: TablePhase): Promise<void> {
    await connection.query(`UPDATE ${this.schema}.copy_tables SET phase = ? WHERE target_schema = ? AND table_name = ?`, [
      phase,
      this.targetSchema,
      table,
    ]);
  }

  async startRun(connection: mysql.Connection, source: string, snapshot: object): Promise<number> {
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
}
