import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';

/** What the last run knew about one local file and the object made from it. */
export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
  readonly sha256: string;
  /** The object's S3 checksum (whole-object base64, or composite `...-N` when uploaded in parts). */
  readonly checksum: string;
  readonly key: string;
  /** ETag of the object when it was verified: a different ETag in a later listing means it was replaced. */
  readonly etag: string;
  readonly contentType: string;
  readonly verifiedAt: string;
}

export const MANIFEST_FILE = 'manifest.jsonl';

/**
 * Append-only journal of verified uploads, one JSON line per file, last line wins. Each line is
 * written with one write(2) as soon as the object is verified, so `kill -9` loses at most the
 * files in flight (a torn last line is ignored). Compacted on close when it has grown.
 */
export class PosterManifest {
  private fd: number | undefined;
  private lines: number;

  private constructor(
    readonly file: string,
    private readonly entries: Map<string, ManifestEntry>,
    lines: number,
  ) {
    this.lines = lines;
  }

  static async open(stateDir: string): Promise<PosterManifest> {
    await mkdir(stateDir, { recursive: true });
    const file = path.join(stateDir, MANIFEST_FILE);
    const entries = new Map<string, ManifestEntry>();
    let lines = 0;
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return '';
      throw error;
    });
    for (const line of text.split('\n')) {
      if (!line) continue;
      lines += 1;
      const parsed = parseLine(line);
      if (parsed?.forgotten) entries.delete(parsed.path);
      else if (parsed) entries.set(parsed.path, parsed);
    }
    return new PosterManifest(file, entries, lines);
  }

  get(relativePath: string): ManifestEntry | undefined {
    return this.entries.get(relativePath);
  }

  get size(): number {
    return this.entries.size;
  }

  values(): IterableIterator<ManifestEntry> {
    return this.entries.values();
  }

  record(entry: ManifestEntry): void {
    this.entries.set(entry.path, entry);
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    this.lines += 1;
  }

  forget(relativePath: string): void {
    if (!this.entries.delete(relativePath)) return;
    this.fd ??= openSync(this.file, 'a');
    writeSync(this.fd, `${JSON.stringify({ path: relativePath, forgotten: true })}\n`);
    this.lines += 1;
  }

  /** Flushes to disk and rewrites the journal without superseded lines when that saves much. */
  async close(): Promise<void> {
    if (this.fd !== undefined) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = undefined;
    }
    if (this.lines <= this.entries.size * 2 + 100) return;
    const temporary = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile([...this.entries.values()].map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, this.file);
    this.lines = this.entries.size;
  }
}

type ParsedLine = (ManifestEntry & { forgotten?: false }) | { path: string; forgotten: true };

function parseLine(line: string): ParsedLine | undefined {
  try {
    const value = JSON.parse(line) as Partial<ManifestEntry> & { forgotten?: boolean };
    if (typeof value.path !== 'string') return undefined;
    if (value.forgotten) return { path: value.path, forgotten: true };
    if (typeof value.key !== 'string' || typeof value.sha256 !== 'string') return undefined;
    return value as ManifestEntry;
  } catch {
    return undefined; // the torn last line of a run killed mid-write
  }
}
