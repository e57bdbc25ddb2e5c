import type mysql from 'mysql2/promise';
import { ConnectionError } from '../../errors.ts';
import { quoteId } from '../../mysql/connect.ts';
import { chunkWhere, keyOrder, type ChunkRange } from '../../mysql/chunk-planner.ts';
import { readChunkAsTsv } from '../../mysql/chunk-reader.ts';
import { loadDataSql, writeChunk } from '../../mysql/chunk-writer.ts';
import { chunkChecksum, type ChunkChecksum } from '../../mysql/checksum.ts';
import { copiedColumns, tsvLineExpression } from '../../mysql/column-expressions.ts';
import type { TableInfo } from '../../mysql/schema-reader.ts';
import type { ProgressCounters } from '../../progress/counters.ts';
import { isConnectionLost } from '../../retry/error-class.ts';
import { withRetries, type RetryPolicy } from '../../retry/with-retries.ts';
import type { CheckpointStore, DoneChunk } from '../../state/checkpoint-store.ts';

export interface ChunkJob {
  readonly table: TableInfo;
  readonly chunk: ChunkRange;
}

/** A copy worker's sessions: a reader in the snapshot, and a writer it may replace after a dropped connection. */
export interface ChunkWorker {
  readonly reader: mysql.Connection;
  writer: mysql.Connection;
}

export interface ChunkCopyContext {
  readonly targetDatabase: string;
  readonly store: CheckpointStore;
  readonly counters: ProgressCounters;
  /** Take the target's checksum of the chunk inside its transaction (for verification). */
  readonly checksum: boolean;
  readonly retry: RetryPolicy;
  /** A new writer session (prepared and registered), after the old one was dropped. */
  readonly reopenWriter: () => Promise<mysql.Connection>;
  /** Called before each retry, with why. */
  readonly onRetry?: (error: unknown, attempt: number) => void;
}

/**
 * Copies one key range: the source SELECT streamed as text straight into LOAD DATA, then, in the same
 * transaction, the target's own checksum of what landed and the checkpoint. One attempt: on failure
 * the rest of the source result is drained, so the reader (and its snapshot) can serve a retry.
 */
export async function copyChunk(job: ChunkJob, worker: ChunkWorker, context: ChunkCopyContext): Promise<DoneChunk> {
  const columns = copiedColumns(job.table.columns);
  const name = job.table.name;
  const select = `SELECT ${tsvLineExpression(columns)} FROM ${quoteId(name)} WHERE ${chunkWhere(job.table, job.chunk)}${keyOrder(job.table)}`;
  const sent = { rows: 0, bytes: 0 };
  const read = readChunkAsTsv(worker.reader, worker.writer, select, (rows, bytes) => {
    sent.rows += rows;
    sent.bytes += bytes;
    context.counters.advance(name, rows, bytes);
  });
  let done: DoneChunk | undefined;
  let loaded: number;
  try {
    loaded = await writeChunk(worker.writer, loadDataSql(context.targetDatabase, name, columns), read.stream, async () => {
      const target: ChunkChecksum | undefined = context.checksum ? await chunkChecksum(worker.writer, job.table, job.chunk, columns) : undefined;
      done = { rows: read.counts.rows, bytes: read.counts.bytes, checksum: read.counts.checksum(), ...(target ? { target } : {}) };
      await context.store.markChunk(worker.writer, name, job.chunk.index, done);
    });
  } catch (error) {
    read.discard();
    context.counters.advance(name, -sent.rows, -sent.bytes);
    try {
      await read.finished;
    } catch (sourceError) {
      // The reader's connection is gone, and with it the snapshot: no retry can read this chunk consistently.
      throw new ConnectionError(`lost the source connection while reading ${name} (${(sourceError as Error).message}): run again with --resume`);
    }
    throw error;
  }
  if (!done || loaded !== done.rows) {
    throw new Error(`${name} chunk ${job.chunk.index}: sent ${read.counts.rows} rows but the target loaded ${loaded}`);
  }
  return done;
}

/**
 * copyChunk under the run's retry policy: a deadlock or lock wait timeout is retried on the same
 * writer (the transaction was rolled back); a dropped connection on a new one, after checking that
 * the chunk did not commit just before the drop (then its checkpoint says so, and it is not copied twice).
 */
export async function copyChunkWithRetries(job: ChunkJob, worker: ChunkWorker, context: ChunkCopyContext): Promise<DoneChunk> {
  let lost = false;
  return withRetries(
    async () => {
      if (lost) {
        const stale = worker.writer;
        worker.writer = await context.reopenWriter();
        stale.destroy();
        lost = false;
        const committed = await context.store.findChunk(worker.writer, job.table.name, job.chunk.index);
        if (committed) {
          context.counters.advance(job.table.name, committed.rows, committed.bytes);
          return committed;
        }
      }
      return copyChunk(job, worker, context);
    },
    {
      ...context.retry,
      onRetry: async (error, attempt, delayMs) => {
        lost ||= isConnectionLost(error);
        context.onRetry?.(error, attempt);
        await context.retry.onRetry?.(error, attempt, delayMs);
      },
    },
  );
}
