import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import { planChunks } from '../mysql/chunk-planner.ts';
import type { ConnectionPair } from '../mysql/connection-pair.ts';
import { readDatabaseInfo, readTables, selectTables } from '../mysql/schema-reader.ts';
import { prepareChecksumSession } from '../mysql/session.ts';
import { openSnapshotReaders, type SnapshotInfo } from '../mysql/snapshot.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import { verifyTables, type TableVerification } from './verify-tables.ts';
import type { DatabasePair } from './database-pair.ts';

export interface VerifyDatabaseDeps {
  readonly connections: Omit<ConnectionPair, 'close'>;
  readonly counters: ProgressCounters;
}

export interface VerifyReport {
  readonly source: string;
  readonly target: string;
  readonly snapshot: SnapshotInfo;
  readonly tables: readonly TableVerification[];
  readonly seconds: number;
}

/** The `verify` use case: source (one consistent snapshot) vs target, chunk by chunk, rows named on mismatch. */
export async function verifyDatabase(options: DatabasePair, deps: VerifyDatabaseDeps): Promise<VerifyReport> {
  const started = Date.now();
  const { source, target, openSource, openTarget } = deps.connections;
  const targets: mysql.Connection[] = [];
  try {
    if (!(await readDatabaseInfo(source, options.sourceDatabase))) {
      throw new UsageError(`source database ${options.sourceDatabase} does not exist on ${options.source.display}`);
    }
    if (!(await readDatabaseInfo(target, options.targetDatabase))) {
      throw new UsageError(`target database ${options.targetDatabase} does not exist on ${options.target.display}`);
    }
    const { selected, unknown } = selectTables(await readTables(source, options.sourceDatabase), options.include, options.exclude);
    if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
    const targetTables = new Set((await readTables(target, options.targetDatabase)).map((table) => table.name));
    const missingOnTarget = new Set(selected.filter((table) => !targetTables.has(table.name)).map((table) => table.name));
    for (let i = 0; i < options.parallel; i += 1) {
      const connection = await openTarget(options.targetDatabase);
      targets.push(connection);
      await prepareChecksumSession(connection);
    }
    const readers = await openSnapshotReaders({ open: openSource, database: options.sourceDatabase, count: options.parallel, tables: selected.map((table) => table.name) });
    try {
      const tables = [];
      for (const table of selected) tables.push({ table, chunks: await planChunks(readers.readers[0]!, table, options.chunkRows) });
      const verification = await verifyTables({ sources: readers.readers, targets, tables, counters: deps.counters, missingOnTarget });
      return {
        source: options.source.display,
        target: options.target.display,
        snapshot: readers.snapshot,
        tables: verification,
        seconds: (Date.now() - started) / 1000,
      };
    } finally {
      await readers.close();
    }
  } finally {
    await Promise.all(targets.map((connection) => connection.end().catch(() => undefined)));
  }
}
