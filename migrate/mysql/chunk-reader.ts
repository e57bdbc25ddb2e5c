import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import { crc32 } from './crc32.ts';
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
  /** Sum of CRC32 of every line sent: what the target must hold (see chunkChecksum). */
  checksum(): string;
}

/** Sums CRC32 values exactly: a Number until it nears 2^53, then folded into a BigInt. */
class CrcSum {
  private high = 0n;
  private low = 0;

  add(value: number): void {
    this.low += value;
    if (this.low > 2 ** 52) {
      this.high += BigInt(this.low);
      this.low = 0;
    }
  }

  toString(): string {
    return (this.high + BigInt(this.low)).toString();
  }
}

export function coreConnection(connection: mysql.Connection): CoreConnection {
  return (connection as unknown as { connection: CoreConnection }).connection;
}

/** One chunk being read: the LOAD DATA stream, what it carried so far, and the source query's end. */
export interface ChunkRead {
  readonly stream: Readable;
  readonly counts: ChunkCounts;
  /**
   * Settles when the source has sent the whole result, so the reader (and its snapshot) can take the
   * next query; rejects when the source query failed (the reader is then unusable).
   */
  readonly finished: Promise<void>;
  /**
   * Stops forwarding (the load failed): the rest of the result is read and dropped, so the reader
   * stays in its consistent snapshot and the chunk can be read again from the same point in time.
   */
  discard(): void;
}

/**
 * Streams a SELECT whose single column is a ready LOAD DATA line (see tsvLineExpression) as
 * LOAD DATA text: raw bytes, no JS types in between; reading pauses while the target socket is full.
 */
export function readChunkAsTsv(
  source: mysql.Connection,
  target: mysql.Connection,
  sql: string,
  onBatch: (rows: number, bytes: number) => void,
): ChunkRead {
  const reader = coreConnection(source);
  const targetSocket = coreConnection(target).stream;
  const sum = new CrcSum();
  const counts: ChunkCounts = { rows: 0, bytes: 0, checksum: () => sum.toString() };
  let pendingRows = 0;
  let pendingBytes = 0;
  let started = false;
  let paused = false;
  let discarding = false;
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  // Nobody may be waiting when the source fails after the load already failed: never an unhandled rejection.
  finished.catch(() => undefined);
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
    if (discarding) return;
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
    query.on('result', (row: [Buffer]) => {
      if (discarding) return;
      // The source side of verification comes free with the copy: the exact bytes sent, hashed.
      sum.add(crc32(row[0]));
      const bytes = batcher.addLine(row[0]);
      counts.rows += 1;
      counts.bytes += bytes;
      pendingRows += 1;
      pendingBytes += bytes;
    });
    query.on('error', (error: Error) => {
      stream.destroy(error);
      settle.reject(error);
    });
    query.on('end', () => {
      if (!discarding) {
        batcher.flush();
        if (pendingRows > 0) onBatch(pendingRows, pendingBytes);
        stream.push(null);
      }
      settle.resolve();
    });
  }
  return {
    stream,
    counts,
    finished,
    discard() {
      if (discarding) return;
      discarding = true;
      targetSocket.removeListener('drain', resume);
      stream.destroy();
      if (!started) settle.resolve();
      else resume();
    },
  };
}
