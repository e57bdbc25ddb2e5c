import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import type mysql from 'mysql2/promise';
import { TsvBatcher } from './tsv-batcher.ts';

/** Bytes queued on the target socket above which the source read pauses (memory stays flat). */
const TARGET_HIGH_WATER = 8 << 20;

interface CoreConnection {
  query(options: object): NodeJS.EventEmitter;
  pause(): void;
  resume(): void;
  stream: Socket;
}

export interface ChunkCounts {
  rows: number;
  bytes: number;
}

export function coreConnection(connection: mysql.Connection): CoreConnection {
  return (connection as unknown as { connection: CoreConnection }).connection;
}

/**
 * Streams a SELECT from the source as LOAD DATA text. Values are taken as the raw bytes of the
 * text protocol (no JS types in between), and reading pauses while the target socket is full.
 */
export function readChunkAsTsv(
  source: mysql.Connection,
  target: mysql.Connection,
  sql: string,
  onBatch: (rows: number, bytes: number) => void,
): { stream: Readable; counts: ChunkCounts } {
  const reader = coreConnection(source);
  const targetSocket = coreConnection(target).stream;
  const counts: ChunkCounts = { rows: 0, bytes: 0 };
  let pendingRows = 0;
  let pendingBytes = 0;
  let started = false;
  let paused = false;
  const resume = (): void => {
    if (!paused) return;
    paused = false;
    reader.resume();
  };
  const stream = new Readable({
    read() {
      if (!started) {
        started = true;
        start();
      } else if (!targetSocket.writableNeedDrain) {
        resume();
      }
    },
  });
  const batcher = new TsvBatcher((batch) => {
    stream.push(batch);
    onBatch(pendingRows, pendingBytes);
    pendingRows = 0;
    pendingBytes = 0;
    if (!paused && targetSocket.writableLength > TARGET_HIGH_WATER) {
      paused = true;
      reader.pause();
      targetSocket.once('drain', resume);
    }
  });
  function start(): void {
    const query = reader.query({ sql, rowsAsArray: true, typeCast: (field: { buffer(): Buffer | null }) => field.buffer() });
    query.on('result', (row: (Buffer | null)[]) => {
      const bytes = batcher.addRow(row);
      counts.rows += 1;
      counts.bytes += bytes;
      pendingRows += 1;
      pendingBytes += bytes;
    });
    query.on('error', (error: Error) => stream.destroy(error));
    query.on('end', () => {
      batcher.flush();
      if (pendingRows > 0) onBatch(pendingRows, pendingBytes);
      stream.push(null);
    });
  }
  return { stream, counts };
}
