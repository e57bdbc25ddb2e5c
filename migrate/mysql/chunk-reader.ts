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

/**
 * Streams a SELECT whose single column is a ready LOAD DATA line (see tsvLineExpression) as
 * LOAD DATA text: raw bytes, no JS types in between; reading pauses while the target socket is full.
 */
export function readChunkAsTsv(
  source: mysql.Connection,
  target: mysql.Connection,
  sql: string,
  onBatch: (rows: number, bytes: number) => void,
): { stream: Readable; counts: ChunkCounts } {
  const reader = coreConnection(source);
  const targetSocket = coreConnection(target).stream;
  const sum = new CrcSum();
  const counts: ChunkCounts = { rows: 0, bytes: 0, checksum: () => sum.toString() };
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
    query.on('result', (row: [Buffer]) => {
      // The source side of verification comes free with the copy: the exact bytes sent, hashed.
      sum.add(crc32(row[0]));
      const bytes = batcher.addLine(row[0]);
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
