import type mysql from 'mysql2/promise';
import { UsageError } from '../../errors.ts';
import { quoteId } from '../../mysql/connect.ts';
import type { DatabaseInfo } from '../../mysql/schema-reader.ts';
import { prepareWriterSession } from '../../mysql/session.ts';
import { WorkerSlots } from '../worker-slots.ts';
import type { ChunkRange } from '../../mysql/chunk-planner.ts';
import { copyChunkWithRetries, type ChunkWorker } from './copy-chunk.ts';
import { required, type DbRun, type TablePhase } from './db-phase.ts';
import { noteRetry } from './db-run.ts';
import { prepareTables } from './prepare-tables.ts';
import { tableName } from './table-run.ts';

/** The copy's workers: reader i (in the snapshot) paired with writer i, shared by every table's chunks. */
interface CopyWorkers {
  readonly slots: WorkerSlots;
  readonly workers: readonly ChunkWorker[];
}

const copies = new WeakMap<DbRun, CopyWorkers>();

/**
 * The data, table by table and chunk by chunk: `--parallel` workers, each a snapshot reader paired
 * with a target writer, take chunks in table order (largest table first); a chunk, the target's
 * checksum of it and its checkpoint commit together, retried on deadlocks, lock wait timeouts and
 * dropped connections. A table leaves this phase when its last chunk is in.
 */
export const copyPhase: TablePhase = {
  name: 'copy',
  // Tables with chunks queued at once: the next table's chunks wait behind this one's, so no worker idles at a table's end.
  concurrency: (run) => run.settings.parallel,
  async start(run, counters) {
    const preflight = required(run.preflight, 'the preflight', 'copy');
    const snapshot = required(run.snapshot, 'the snapshot', 'copy');
    const admin = run.connections.target;
    await prepareWriterSession(admin);
    if (!preflight.targetExists) await createTargetDatabase(admin, run.settings.targetDatabase, preflight.sourceInfo);
    await run.store.ensure(admin);
    await run.sessions.ensure(admin);
    await run.sessions.register(admin, 'admin');
    run.runId = await run.store.startRun(admin, run.settings.source.display, snapshot.snapshot);
    const workers: ChunkWorker[] = [];
    for (const reader of snapshot.readers) workers.push({ reader, writer: await run.connections.openWriter('chunk writer') });
    run.tables = await prepareTables(run, preflight, snapshot.readers[0]!, counters);
    copies.set(run, { slots: new WorkerSlots(workers.length), workers });
  },
  async table(run, table, counters) {
    const { slots, workers } = required(copies.get(run), 'the copy workers', 'copy');
    const name = tableName(table);
    const pending = table.chunks.filter((chunk) => !table.checksums.has(chunk.index));
    if (pending.length > 0) {
      table.started ||= Date.now();
      const context = {
        targetDatabase: run.settings.targetDatabase,
        store: run.store,
        counters,
        checksum: run.settings.verify,
        retry: run.retry,
        reopenWriter: () => run.connections.openWriter('chunk writer'),
        onRetry: (error: unknown) => noteRetry(run, `a chunk of ${name}`, error),
      };
      const order = [...required(run.tables, 'the tables', 'copy').keys()].indexOf(name);
      const copyOne = (chunk: ChunkRange) =>
        slots.use(async (slot) => {
          const done = await copyChunkWithRetries({ table: table.decision.table, chunk }, workers[slot]!, context);
          table.checksums.set(chunk.index, { rows: done.rows, sum: done.checksum });
          if (done.target) table.targetChecksums.set(chunk.index, done.target);
          table.rows += done.rows;
          table.bytes += done.bytes;
          table.remaining -= 1;
        }, order);
      // The first load into an empty table locks the whole table until it commits (InnoDB's bulk
      // insert, MariaDB 10.6+): its other chunks follow once it is in, and the workers meanwhile
      // start the next tables' first chunks instead of waiting. Earlier tables keep precedence.
      const first = table.checksums.size === 0 ? [pending[0]!] : [];
      const outcomes: PromiseSettledResult<void>[] = await Promise.allSettled(first.map(copyOne));
      if (!outcomes.some((outcome) => outcome.status === 'rejected')) outcomes.push(...(await Promise.allSettled(pending.slice(first.length).map(copyOne))));
      const failed = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failed) {
        slots.stop(failed.reason);
        throw failed.reason;
      }
    }
    table.finished = Date.now();
    if (counters.task(name).state === 'running') counters.finish(name);
  },
};

async function createTargetDatabase(admin: mysql.Connection, database: string, source: DatabaseInfo): Promise<void> {
  // Names from the source's information_schema; DDL cannot take them as parameters, so check them.
  if (!/^\w+$/.test(source.charset) || !/^\w+$/.test(source.collation)) {
    throw new UsageError(`unexpected character set ${source.charset} / collation ${source.collation}`);
  }
  await admin.query(`CREATE DATABASE ${quoteId(database)} CHARACTER SET ${source.charset} COLLATE ${source.collation}`);
}
