import { open, stat } from 'node:fs/promises';

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
 * Reads a whole (small) file and its stamp, failing with FileChangedError when it changed while
 * being read: what gets uploaded is then exactly what was hashed.
 */
export async function readFileStable(path: string, relativePath: string): Promise<{ buffer: Buffer; stamp: FileStamp }> {
  const handle = await open(path, 'r');
  try {
    const before = await handle.stat();
    const buffer = Buffer.allocUnsafe(before.size);
    let offset = 0;
    while (offset < buffer.length) {
      const { bytesRead } = await handle.read(buffer, offset, buffer.length - offset, offset);
      if (bytesRead === 0) throw new FileChangedError(relativePath); // truncated under us
      offset += bytesRead;
    }
    const after = await handle.stat();
    const stamp = { size: before.size, mtimeMs: before.mtimeMs, ino: before.ino };
    if (!sameStamp(stamp, after)) throw new FileChangedError(relativePath);
    return { buffer, stamp };
  } finally {
    await handle.close();
  }
}
