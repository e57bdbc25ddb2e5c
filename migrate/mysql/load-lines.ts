import { Readable } from 'node:stream';
import type mysql from 'mysql2/promise';
import { quoteId } from './connect.ts';

/** Each LOCAL INFILE chunk is sent as one protocol packet: stay well below the 16 MB packet limit. */
const CHUNK_CHARS = 256 * 1024;

function* batched(lines: Iterable<string>): Generator<Buffer> {
  let pending = '';
  for (const line of lines) {
    pending += line;
    if (pending.length >= CHUNK_CHARS) {
      yield Buffer.from(pending);
      pending = '';
    }
  }
  if (pending) yield Buffer.from(pending);
}

/** Streams generated TSV lines into a table with LOAD DATA LOCAL INFILE (no temporary file). */
export async function loadLines(
  connection: mysql.Connection,
  table: string,
  columns: readonly string[],
  lines: Iterable<string>,
): Promise<number> {
  const [result] = await connection.query({
    sql: `LOAD DATA LOCAL INFILE 'stream' INTO TABLE ${quoteId(table)} CHARACTER SET utf8mb4 (${columns.map(quoteId).join(', ')})`,
    infileStreamFactory: () => Readable.from(batched(lines)),
  });
  return (result as mysql.ResultSetHeader).affectedRows;
}
