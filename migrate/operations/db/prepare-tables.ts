import type mysql from 'mysql2/promise';
import { quoteId } from '../../mysql/connect.ts';
import { planChunks } from '../../mysql/chunk-planner.ts';
import { showCreateTable } from '../../mysql/schema-reader.ts';
import { splitTableDdl } from '../../mysql/table-ddl.ts';
import type { ProgressCounters } from '../../progress/counters.ts';
import type { DbRun, Preflight } from './db-phase.ts';
import { chunkRowsFor } from './target-sizing.ts';
import type { TableRun } from './table-run.ts';

/**
 * Creates (or re-opens, on --resume) each table on the target without its deferred indexes and
 * foreign keys, plans its chunks inside the snapshot, and records the plan as the table's checkpoint.
 */
export async function prepareTables(run: DbRun, preflight: Preflight, snapshotReader: mysql.Connection, counters: ProgressCounters): Promise<Map<string, TableRun>> {
  const { settings, store } = run;
  const admin = run.connections.target;
  const runs = new Map<string, TableRun>();
  for (const decision of preflight.decisions) {
    const { table } = decision;
    const createSql = await showCreateTable(snapshotReader, settings.sourceDatabase, table.name);
    counters.addTask(table.name, { total: table.rowsEstimate });
    if (decision.action !== 'create' && decision.checkpoint) {
      const checkpoint = decision.checkpoint;
      const done = [...checkpoint.doneChunks.values()];
      const rows = done.reduce((sum, item) => sum + item.rows, 0);
      const bytes = done.reduce((sum, item) => sum + item.bytes, 0);
      runs.set(table.name, {
        decision, chunks: checkpoint.chunks, deferred: checkpoint.deferred, createSql, phase: checkpoint.phase,
        remaining: checkpoint.chunks.filter((chunk) => !checkpoint.doneChunks.has(chunk.index)).length, started: 0, finished: 0, rows, bytes,
        checksums: new Map([...checkpoint.doneChunks].map(([index, chunk]) => [index, { rows: chunk.rows, sum: chunk.checksum }])),
        // Chunks of an earlier run: the verify phase asks the target afresh rather than trusting an old answer.
        targetChecksums: new Map(),
      });
      counters.start(table.name, { done: rows, bytes });
      if (decision.action === 'complete') counters.finish(table.name);
      continue;
    }
    const split = settings.deferIndexes === false ? { createTable: createSql, deferred: [] } : splitTableDdl(createSql);
    await store.reset(admin, table.name);
    if (decision.dropFirst) await admin.query(`DROP TABLE IF EXISTS ${quoteId(settings.targetDatabase)}.${quoteId(table.name)}`);
    await admin.query(`USE ${quoteId(settings.targetDatabase)}`);
    await admin.query(split.createTable);
    const chunks = await planChunks(snapshotReader, table, chunkRowsFor(table, settings.chunkRows, preflight.sizing));
    await store.startTable(admin, table.name, chunks, split.deferred);
    runs.set(table.name, {
      decision, chunks, deferred: split.deferred, createSql, phase: 'loading', remaining: chunks.length, started: 0, finished: 0, rows: 0, bytes: 0,
      checksums: new Map(), targetChecksums: new Map(),
    });
    counters.start(table.name);
  }
  return runs;
}
