import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import { connect, quoteId } from '../mysql/connect.ts';
import { copiedColumns } from '../mysql/column-expressions.ts';
import { createSchemaObjects, readSchemaObjects, type ObjectOutcome } from '../mysql/schema-objects.ts';
import { readDatabaseInfo, readTables, selectTables } from '../mysql/schema-reader.ts';
import { prepareWriterSession } from '../mysql/session.ts';
import { openSnapshotReaders, type SnapshotInfo } from '../mysql/snapshot.ts';
import { deferredForeignKeys, deferredIndexes } from '../mysql/table-ddl.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import { CheckpointStore } from '../state/checkpoint-store.ts';
import { applyDeferred, copyChunk, type ChunkJob, type TableCopyContext } from './copy-table-chunks.ts';
import { decideTableActions, type TableAction } from './prepare-target.ts';
import { dryRunReport, prepareTables, type TableRun } from './prepare-tables.ts';
import { verifyTables, type TableVerification } from './verify-tables.ts';
import { runWorkerPool } from './worker-pool.ts';
import type { DatabasePair } from './database-pair.ts';

export interface CopyDatabaseOptions extends DatabasePair {
  readonly resume: boolean;
  readonly overwrite: boolean;
  readonly dryRun: boolean;
  readonly verify: boolean;
  /** Build secondary indexes and foreign keys after the bulk load. @default true */
  readonly deferIndexes?: boolean;
  readonly stateSchema: string;
  /** Returns the counters for a phase; the caller renders them. */
  readonly startPhase: (phase: 'copy' | 'verify') => ProgressCounters;
  readonly endPhase: () => void;
}

export interface CopiedTable {
  readonly name: string;
  readonly action: TableAction;
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly verdict: 'match' | 'mismatch' | 'not verified';
}

export interface CopyReport {
  readonly source: string;
  readonly target: string;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly dryRun: boolean;
  readonly snapshot?: SnapshotInfo;
  readonly tables: readonly CopiedTable[];
  readonly objects: readonly ObjectOutcome[];
  readonly verification?: readonly TableVerification[];
  readonly seconds: { readonly copy: number; readonly verify: number; readonly total: number };
}

async function closeAll(connections: readonly mysql.Connection[]): Promise<void> {
  await Promise.all(connections.map((connection) => connection.end().catch(() => undefined)));
}

/** The `db` use case: schema, consistent parallel chunked copy, deferred indexes, objects, verification. */
export async function copyDatabase(options: CopyDatabaseOptions): Promise<CopyReport> {
  const startedAt = Date.now();
  const sourceAdmin = await connect(options.source);
  const targetAdmin = await connect(options.target);
  const writers: mysql.Connection[] = [];
  try {
    const sourceInfo = await readDatabaseInfo(sourceAdmin, options.sourceDatabase);
    if (!sourceInfo) throw new UsageError(`source database ${options.sourceDatabase} does not exist on ${options.source.display}`);
    const { selected, unknown } = selectTables(await readTables(sourceAdmin, options.sourceDatabase), options.include, options.exclude);
    if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
    const targetExists = (await readDatabaseInfo(targetAdmin, options.targetDatabase)) !== undefined;
    const store = new CheckpointStore(options.stateSchema, options.targetDatabase);
    const stateExists = (await readDatabaseInfo(targetAdmin, options.stateSchema)) !== undefined;
    const checkpoints = stateExists && options.resume ? await store.load(targetAdmin) : new Map();
    const decisions = await decideTableActions({
      target: targetAdmin,
      targetDatabase: options.targetDatabase,
      targetExists,
      tables: selected,
      checkpoints,
      resume: options.resume,
      overwrite: options.overwrite,
    });
    if (options.dryRun) return dryRunReport(options, decisions, startedAt);

    await prepareWriterSession(targetAdmin);
    if (!targetExists) {
      // Names from the source's information_schema; DDL cannot take them as parameters, so check them.
      if (!/^\w+$/.test(sourceInfo.charset) || !/^\w+$/.test(sourceInfo.collation)) {
        throw new UsageError(`unexpected character set ${sourceInfo.charset} / collation ${sourceInfo.collation}`);
      }
      await targetAdmin.query(
        `CREATE DATABASE ${quoteId(options.targetDatabase)} CHARACTER SET ${sourceInfo.charset} COLLATE ${sourceInfo.collation}`,
      );
    }
    await store.ensure(targetAdmin);
    for (let i = 0; i < options.parallel; i += 1) {
      const writer = await connect(options.target, { database: options.targetDatabase });
      await prepareWriterSession(writer);
      writers.push(writer);
    }
    const snapshotReaders = await openSnapshotReaders(options.source, options.sourceDatabase, options.parallel, selected.map((table) => table.name));
    try {
      const runId = await store.startRun(targetAdmin, options.source.display, snapshotReaders.snapshot);
      const counters = options.startPhase('copy');
      const runs = await prepareTables(options, decisions, snapshotReaders.readers[0]!, targetAdmin, store, counters);
      const context: TableCopyContext = { targetDatabase: options.targetDatabase, store, counters };
      const jobs: ChunkJob[] = [];
      for (const run of runs.values()) {
        const done = run.decision.checkpoint?.doneChunks;
        for (const chunk of run.chunks) if (!done?.has(chunk.index)) jobs.push({ table: run.decision.table, chunk });
      }
      // Tables whose chunks were all copied before a crash may still need their indexes.
      for (const run of runs.values()) {
        if (run.remaining === 0) await completeTable(run, writers[0]!, context);
      }
      await runWorkerPool(jobs, options.parallel, async (job, worker) => {
        const run = runs.get(job.table.name)!;
        run.started ||= Date.now();
        const done = await copyChunk(job, snapshotReaders.readers[worker]!, writers[worker]!, context);
        run.checksums.set(job.chunk.index, { rows: done.rows, sum: done.checksum });
        run.remaining -= 1;
        if (run.remaining === 0) await completeTable(run, writers[worker]!, context);
      });
      // Foreign keys last and one table at a time: adding one while the referenced table is
      // still being altered fails on MariaDB. With foreign_key_checks=0 this is metadata only.
      for (const run of runs.values()) {
        if (run.phase === 'complete') continue;
        await applyDeferred(targetAdmin, run.decision.table.name, deferredForeignKeys(run.deferred), run.createSql, true, options.targetDatabase);
        await store.markPhase(targetAdmin, run.decision.table.name, 'complete');
        run.phase = 'complete';
      }
      const copySeconds = (Date.now() - startedAt) / 1000;
      const objects = await createSchemaObjects(
        targetAdmin,
        options.sourceDatabase,
        options.targetDatabase,
        await readSchemaObjects(sourceAdmin, options.sourceDatabase, selected.map((table) => table.name)),
      );
      options.endPhase();

      let verification: TableVerification[] | undefined;
      const verifyStarted = Date.now();
      if (options.verify) {
        const verifyCounters = options.startPhase('verify');
        verification = await verifyTables({
          sources: snapshotReaders.readers,
          targets: writers,
          tables: [...runs.values()].map((run) => ({
            table: run.decision.table,
            chunks: run.chunks,
            columns: copiedColumns(run.decision.table.columns),
            sourceChecksums: run.checksums,
          })),
          counters: verifyCounters,
        });
        options.endPhase();
      }
      const mismatch = verification?.some((table) => table.verdict === 'mismatch') ?? false;
      await store.finishRun(targetAdmin, runId, verification ? (mismatch ? 'mismatch' : 'verified') : 'copied');
      const snapshot = counters.snapshot();
      return {
        source: options.source.display,
        target: options.target.display,
        sourceDatabase: options.sourceDatabase,
        targetDatabase: options.targetDatabase,
        dryRun: false,
        snapshot: snapshotReaders.snapshot,
        tables: [...runs.values()].map((run) => {
          const task = snapshot.tasks.find((item) => item.id === run.decision.table.name);
          const verdict = verification?.find((item) => item.table === run.decision.table.name)?.verdict ?? 'not verified';
          return {
            name: run.decision.table.name,
            action: run.decision.action,
            rows: task?.done ?? 0,
            bytes: task?.bytes ?? 0,
            chunks: run.chunks.length,
            seconds: run.finished && run.started ? (run.finished - run.started) / 1000 : 0,
            verdict,
          };
        }),
        objects,
        ...(verification ? { verification } : {}),
        seconds: { copy: copySeconds, verify: verification ? (Date.now() - verifyStarted) / 1000 : 0, total: (Date.now() - startedAt) / 1000 },
      };
    } finally {
      await snapshotReaders.close();
    }
  } finally {
    await closeAll([sourceAdmin, targetAdmin, ...writers]);
  }
}

/** Builds a loaded table's secondary indexes (sorted build, much faster than during the load). */
async function completeTable(run: TableRun, writer: mysql.Connection, context: TableCopyContext): Promise<void> {
  const name = run.decision.table.name;
  if (run.phase === 'loading') {
    await applyDeferred(writer, name, deferredIndexes(run.deferred), run.createSql, false, context.targetDatabase);
    await context.store.markPhase(writer, name, 'indexed');
    run.phase = 'indexed';
  }
  run.finished = Date.now();
  if (context.counters.task(name).state === 'running') context.counters.finish(name);
}
