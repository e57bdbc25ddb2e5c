import type mysql from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import { planChunks, type ChunkRange } from '../mysql/chunk-planner.ts';
import type { ChunkChecksum } from '../mysql/checksum.ts';
import { showCreateTable, type TableInfo } from '../mysql/schema-reader.ts';
import { splitTableDdl } from '../mysql/table-ddl.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import type { CheckpointStore, TablePhase } from '../state/checkpoint-store.ts';
import type { CopyDatabaseOptions, CopyReport } from './copy-database.ts';
import type { TableDecision } from './prepare-target.ts';

/** One table's copy in progress: its chunk plan, deferred DDL, phase and checksums. */
export interface TableRun {
  readonly decision: TableDecision;
  chunks: readonly ChunkRange[];
  deferred: readonly string[];
  createSql: string;
  phase: TablePhase;
  remaining: number;
  started: number;
  finished: number;
  /** Source checksums of copied chunks (this run's or the checkpointed ones), for verification. */
  readonly checksums: Map<number, ChunkChecksum>;
}

/** Creates (or re-opens) each table, plans its chunks inside the snapshot, and records the plan. */
export async function prepareTables(
  options: CopyDatabaseOptions,
  decisions: readonly TableDecision[],
  snapshotReader: mysql.Connection,
  targetAdmin: mysql.Connection,
  store: CheckpointStore,
  counters: ProgressCounters,
): Promise<Map<string, TableRun>> {
  const runs = new Map<string, TableRun>();
  const target = (table: TableInfo) => `${quoteId(options.targetDatabase)}.${quoteId(table.name)}`;
  for (const decision of decisions) {
    const { table } = decision;
    const createSql = await showCreateTable(snapshotReader, options.sourceDatabase, table.name);
    const task = counters.addTask(table.name, { total: table.rowsEstimate });
    if (decision.action !== 'create' && decision.checkpoint) {
      const checkpoint = decision.checkpoint;
      const done = [...checkpoint.doneChunks.values()];
      const remaining = checkpoint.chunks.filter((chunk) => !checkpoint.doneChunks.has(chunk.index)).length;
      const checksums = new Map([...checkpoint.doneChunks].map(([index, chunk]) => [index, { rows: chunk.rows, sum: chunk.checksum }]));
      runs.set(table.name, { decision, chunks: checkpoint.chunks, deferred: checkpoint.deferred, createSql, phase: checkpoint.phase, remaining, started: 0, finished: 0, checksums });
      counters.start(table.name, { done: done.reduce((sum, item) => sum + item.rows, 0), bytes: done.reduce((sum, item) => sum + item.bytes, 0) });
      if (decision.action === 'complete') counters.finish(table.name);
      continue;
    }
    const split = options.deferIndexes === false ? { createTable: createSql, deferred: [] } : splitTableDdl(createSql);
    await store.reset(targetAdmin, table.name);
    if (decision.dropFirst) await targetAdmin.query(`DROP TABLE IF EXISTS ${target(table)}`);
    await targetAdmin.query(`USE ${quoteId(options.targetDatabase)}`);
    await targetAdmin.query(split.createTable);
    const chunks = await planChunks(snapshotReader, table, options.chunkRows);
    await store.startTable(targetAdmin, table.name, chunks, split.deferred);
    runs.set(table.name, { decision, chunks, deferred: split.deferred, createSql, phase: 'loading', remaining: chunks.length, started: 0, finished: 0, checksums: new Map() });
    task.total = table.rowsEstimate;
    counters.start(table.name);
  }
  return runs;
}

/** What `--dry-run` reports: the decisions and estimated chunks, nothing written. */
export function dryRunReport(options: CopyDatabaseOptions, decisions: readonly TableDecision[], startedAt: number): CopyReport {
  return {
    source: options.source.display,
    target: options.target.display,
    sourceDatabase: options.sourceDatabase,
    targetDatabase: options.targetDatabase,
    dryRun: true,
    tables: decisions.map((decision) => ({
      name: decision.table.name,
      action: decision.action,
      rows: decision.table.rowsEstimate,
      bytes: decision.table.dataBytes,
      chunks: decision.table.integerKey ? Math.max(1, Math.ceil(decision.table.rowsEstimate / options.chunkRows)) : 1,
      seconds: 0,
      verdict: 'not verified',
    })),
    objects: [],
    seconds: { copy: 0, verify: 0, total: (Date.now() - startedAt) / 1000 },
  };
}
