import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import { connect } from '../mysql/connect.ts';
import { planChunks } from '../mysql/chunk-planner.ts';
import { readDatabaseInfo, readTables, selectTables } from '../mysql/schema-reader.ts';
import { prepareChecksumSession } from '../mysql/session.ts';
import { openSnapshotReaders, type SnapshotInfo } from '../mysql/snapshot.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import { verifyTables, type TableVerification } from './verify-tables.ts';
import type { DatabasePair } from './database-pair.ts';

export interface VerifyDatabaseOptions extends DatabasePair {
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
export async function verifyDatabase(options: VerifyDatabaseOptions): Promise<VerifyReport> {
  const started = Date.now();
  const sourceAdmin = await connect(options.source);
  const targetAdmin = await connect(options.target);
  const targets: mysql.Connection[] = [];
  try {
    if (!(await readDatabaseInfo(sourceAdmin, options.sourceDatabase))) {
      throw new UsageError(`source database ${options.sourceDatabase} does not exist on ${options.source.display}`);
    }
    if (!(await readDatabaseInfo(targetAdmin, options.targetDatabase))) {
      throw new UsageError(`target database ${options.targetDatabase} does not exist on ${options.target.display}`);
    }
    const { selected, unknown } = selectTables(await readTables(sourceAdmin, options.sourceDatabase), options.include, options.exclude);
    if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
    const targetTables = new Set((await readTables(targetAdmin, options.targetDatabase)).map((table) => table.name));
    const missingOnTarget = new Set(selected.filter((table) => !targetTables.has(table.name)).map((table) => table.name));
    for (let i = 0; i < options.parallel; i += 1) {
      const connection = await connect(options.target, { database: options.targetDatabase });
      await prepareChecksumSession(connection);
      targets.push(connection);
    }
    const readers = await openSnapshotReaders(options.source, options.sourceDatabase, options.parallel, selected.map((table) => table.name));
    try {
      const tables = [];
      for (const table of selected) tables.push({ table, chunks: await planChunks(readers.readers[0]!, table, options.chunkRows) });
      const verification = await verifyTables({ sources: readers.readers, targets, tables, counters: options.counters, missingOnTarget });
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
    await Promise.all([sourceAdmin, targetAdmin, ...targets].map((connection) => connection.end().catch(() => undefined)));
  }
}
