import type mysql from 'mysql2/promise';
import { quoteId } from '../mysql/connect.ts';
import { chunkWhere, keyOrder, type ChunkRange } from '../mysql/chunk-planner.ts';
import { readChunkAsTsv } from '../mysql/chunk-reader.ts';
import { loadDataSql, writeChunk } from '../mysql/chunk-writer.ts';
import { copiedColumns, tsvLineExpression } from '../mysql/column-expressions.ts';
import type { TableInfo } from '../mysql/schema-reader.ts';
import { deferredAlter } from '../mysql/table-ddl.ts';
import type { ProgressCounters } from '../progress/counters.ts';
import type { CheckpointStore, DoneChunk } from '../state/checkpoint-store.ts';

export interface ChunkJob {
  readonly table: TableInfo;
  readonly chunk: ChunkRange;
}

export interface TableCopyContext {
  readonly targetDatabase: string;
  readonly store: CheckpointStore;
  readonly counters: ProgressCounters;
}

/** Copies one key range: source SELECT streamed as text straight into LOAD DATA, then checkpointed. */
export async function copyChunk(job: ChunkJob, reader: mysql.Connection, writer: mysql.Connection, context: TableCopyContext): Promise<DoneChunk> {
  const columns = copiedColumns(job.table.columns);
  const select = `SELECT ${tsvLineExpression(columns)} FROM ${quoteId(job.table.name)} WHERE ${chunkWhere(job.table, job.chunk)}${keyOrder(job.table)}`;
  const { stream, counts } = readChunkAsTsv(reader, writer, select, (rows, bytes) => context.counters.advance(job.table.name, rows, bytes));
  let loaded: number;
  try {
    loaded = await writeChunk(writer, loadDataSql(context.targetDatabase, job.table.name, columns), stream, () =>
      context.store.markChunk(writer, job.table.name, job.chunk.index, { rows: counts.rows, bytes: counts.bytes, checksum: counts.checksum() }),
    );
  } catch (error) {
    // The source may still be streaming this chunk to nobody: drop that connection (the run stops).
    stream.destroy();
    reader.destroy();
    throw error;
  }
  if (loaded !== counts.rows) {
    throw new Error(`${job.table.name} chunk ${job.chunk.index}: sent ${counts.rows} rows but the target loaded ${loaded}`);
  }
  return { rows: counts.rows, bytes: counts.bytes, checksum: counts.checksum() };
}

/** SHOW CREATE TABLE lines that should exist at a phase (AUTO_INCREMENT ignored: it moves with the data). */
function comparableLines(sql: string, withForeignKeys: boolean): string {
  return sql
    .replace(/ AUTO_INCREMENT=\d+/, '')
    .split('\n')
    .filter((line) => withForeignKeys || !/^\s*CONSTRAINT .* FOREIGN KEY /i.test(line))
    .map((line) => line.trim().replace(/,$/, ''))
    .sort()
    .join('\n');
}

/**
 * Runs a deferred ALTER. After a crash between the ALTER and its checkpoint, the indexes already
 * exist: accepted when the table now matches the source definition.
 */
export async function applyDeferred(
  writer: mysql.Connection,
  table: string,
  clauses: readonly string[],
  expectedCreateSql: string,
  withForeignKeys: boolean,
  targetDatabase: string,
): Promise<void> {
  const alter = deferredAlter(`${quoteId(targetDatabase)}.${quoteId(table)}`, clauses);
  if (!alter) return;
  try {
    await writer.query(alter);
  } catch (error) {
    const errno = (error as { errno?: number }).errno;
    // 1061 duplicate key name, 1826 duplicate foreign key, 1022 duplicate key on write.
    if (errno !== 1061 && errno !== 1826 && errno !== 1022) throw error;
    const [rows] = await writer.query(`SHOW CREATE TABLE ${quoteId(targetDatabase)}.${quoteId(table)}`);
    const actual = String((rows as Record<string, unknown>[])[0]!['Create Table']);
    if (comparableLines(actual, withForeignKeys) !== comparableLines(expectedCreateSql, withForeignKeys)) throw error;
  }
}
