import { open, stat } from 'node:fs/promises';
import type { BufferPool, PooledBuffer } from './buffer-pool.ts';

/** The identity of a file's content for change detection: size, mtime and inode. */
export interface FileStamp {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

export class FileChangedError extends Error {
  constructor(readonly relativePath: string) {
    super(`${relativePath} changed while it was being read`);
    this.name = 'FileChangedError';
  }
}

export function sameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

export async function stampOf(path: string): Promise<FileStamp> {
  const info = await stat(path);
  return { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino };
}

/**
 * Reads a whole (small) file into a pooled buffer, failing with FileChangedError when it is not
 * `expected` any more or changes while being read: what gets uploaded is exactly what was hashed.
 */
export async function readFileStable(
  path: string,
  relativePath: string,
  expected: FileStamp,
  pool: BufferPool,
): Promise<{ lease: PooledBuffer; stamp: FileStamp }> {
  const handle = await open(path, 'r');
  let lease: PooledBuffer | undefined;
  try {
    const before = await handle.stat();
    const stamp = { size: before.size, mtimeMs: before.mtimeMs, ino: before.ino };
    if (!sameStamp(stamp, expected)) throw new FileChangedError(relativePath);
    lease = await pool.acquire(stamp.size);
    const { buffer } = lease;
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) throw new FileChangedError(relativePath); // truncated under us
      offset += bytesRead;
    }
    if (!sameStamp(stamp, await handle.stat())) throw new FileChangedError(relativePath);
    return { lease, stamp };
  } catch (error) {
    lease?.release();
    throw error;
  } finally {
    await handle.close();
  }
}
