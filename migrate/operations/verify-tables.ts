import type mysql from 'mysql2/promise';
import type { ProgressCounters } from '../progress/counters.ts';
import type { ChunkRange } from '../mysql/chunk-planner.ts';
import { chunkChecksum, diffChunk, type ChunkChecksum, type RowDifference } from '../mysql/checksum.ts';
import type { ColumnInfo, TableInfo } from '../mysql/schema-reader.ts';
import { runWorkerPool } from './worker-pool.ts';

export interface TableToVerify {
  readonly table: TableInfo;
  readonly chunks: readonly ChunkRange[];
  /** Columns to compare. @default every column of the table */
  readonly columns?: readonly ColumnInfo[];
  /** Source checksums already known (computed by the copy from the bytes it sent), by chunk index. */
  readonly sourceChecksums?: ReadonlyMap<number, ChunkChecksum>;
  /** Target checksums already known (taken in the transaction that loaded the chunk), by chunk index. */
  readonly targetChecksums?: ReadonlyMap<number, ChunkChecksum>;
}

export type Verdict = 'match' | 'mismatch';

export interface TableVerification {
  readonly table: string;
  readonly verdict: Verdict;
  readonly sourceRows: number;
  readonly targetRows: number;
  readonly chunks: number;
  readonly mismatchedChunks: number;
  /** Chunks whose checksums differed but whose rows compared equal one by one (should stay 0). */
  readonly recheckedChunks: number;
  readonly differenceCount: number;
  /** The differing rows, capped at `maxDifferences` per table. */
  readonly differences: readonly RowDifference[];
  readonly seconds: number;
  readonly error?: string;
}

export interface VerifyInput {
  /** Source connections (ideally in one consistent snapshot) and target connections, one pair per worker. */
  readonly sources: readonly mysql.Connection[];
  readonly targets: readonly mysql.Connection[];
  readonly tables: readonly TableToVerify[];
  readonly counters: ProgressCounters;
  /** @default 1000 */
  readonly maxDifferences?: number;
  /** Tables missing on the target (reported as mismatches without touching the target). */
  readonly missingOnTarget?: ReadonlySet<string>;
}

interface TableState {
  sourceRows: number;
  targetRows: number;
  mismatchedChunks: number;
  recheckedChunks: number;
  differenceCount: number;
  differences: RowDifference[];
  started: number;
  finished: number;
  remaining: number;
  error?: string;
}

/**
 * Compares every chunk by row count and checksum on both servers at once; a mismatched chunk is
 * narrowed down to the rows that differ, each named by table and primary key.
 */
export async function verifyTables(input: VerifyInput): Promise<TableVerification[]> {
  const max = input.maxDifferences ?? 1000;
  const states = new Map<string, TableState>();
  const jobs: { item: TableToVerify; chunk: ChunkRange }[] = [];
  for (const item of input.tables) {
    const { table, chunks } = item;
    input.counters.addTask(table.name, { total: table.rowsEstimate });
    states.set(table.name, { sourceRows: 0, targetRows: 0, mismatchedChunks: 0, recheckedChunks: 0, differenceCount: 0, differences: [], started: 0, finished: 0, remaining: chunks.length });
    if (input.missingOnTarget?.has(table.name)) {
      states.get(table.name)!.error = 'table missing on the target';
      input.counters.fail(table.name, 'table missing on the target');
      continue;
    }
    for (const chunk of chunks) jobs.push({ item, chunk });
  }
  await runWorkerPool(jobs, input.sources.length, async ({ item, chunk }, worker) => {
    const { table } = item;
    const state = states.get(table.name)!;
    if (state.started === 0) {
      state.started = Date.now();
      input.counters.start(table.name);
    }
    const source = input.sources[worker]!;
    const target = input.targets[worker]!;
    try {
      const [left, right] = await Promise.all([
        item.sourceChecksums?.get(chunk.index) ?? chunkChecksum(source, table, chunk, item.columns),
        item.targetChecksums?.get(chunk.index) ?? chunkChecksum(target, table, chunk, item.columns),
      ]);
      state.sourceRows += left.rows;
      state.targetRows += right.rows;
      input.counters.advance(table.name, left.rows);
      if (left.rows !== right.rows || left.sum !== right.sum) {
        // The row-by-row comparison is the authority: it names what differs.
        const differences = await diffChunk(source, target, table, chunk);
        if (differences.length > 0) {
          state.mismatchedChunks += 1;
          state.differenceCount += differences.length;
          state.differences.push(...differences.slice(0, Math.max(0, max - state.differences.length)));
        } else {
          state.recheckedChunks += 1;
        }
      }
    } catch (error) {
      state.error ??= (error as Error).message;
      state.mismatchedChunks += 1;
    }
    state.remaining -= 1;
    if (state.remaining === 0) {
      state.finished = Date.now();
      if (state.error) input.counters.fail(table.name, state.error);
      else input.counters.finish(table.name);
    }
  });
  return input.tables.map(({ table, chunks }) => {
    const state = states.get(table.name)!;
    const verdict: Verdict = state.mismatchedChunks === 0 && !state.error ? 'match' : 'mismatch';
    return {
      table: table.name,
      verdict,
      sourceRows: state.sourceRows,
      targetRows: state.targetRows,
      chunks: chunks.length,
      mismatchedChunks: state.mismatchedChunks,
      recheckedChunks: state.recheckedChunks,
      differenceCount: state.differenceCount,
      differences: state.differences,
      seconds: state.finished && state.started ? (state.finished - state.started) / 1000 : 0,
      ...(state.error ? { error: state.error } : {}),
    };
  });
}
