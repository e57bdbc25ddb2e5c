import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

/** A regular file found under the source directory. */
export interface LocalFile {
  /** Path relative to the source root with `/` separators, NFC-normalised (the object key is built from it). */
  readonly relativePath: string;
  readonly absolutePath: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Something under the source directory that is not uploaded, and why (reported, never silently dropped). */
export interface SkippedEntry {
  readonly relativePath: string;
  readonly reason: 'symlink' | 'broken-symlink' | 'symlink-loop' | 'not-a-regular-file' | 'unreadable';
  readonly detail?: string;
}

export interface WalkResult {
  readonly files: LocalFile[];
  readonly skipped: SkippedEntry[];
}

export interface WalkOptions {
  /** Upload the target of a symlink instead of reporting it. @default false */
  readonly followSymlinks?: boolean;
  /** Directories whose contents are never uploaded (the state directory when it sits inside the source). */
  readonly exclude?: readonly string[];
}

const STAT_BATCH = 64;

/** Lists every regular file under `root`, sorted by relative path, with what was skipped and why. */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const files: LocalFile[] = [];
  const skipped: SkippedEntry[] = [];
  const visitedDirs = new Set<string>([await realpath(root)]);
  const excluded = new Set((options.exclude ?? []).map((dir) => path.resolve(dir)));

  async function visit(dir: string, relativeDir: string): Promise<void> {
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      skipped.push({ relativePath: relativeDir || '.', reason: 'unreadable', detail: errorCode(error) });
      return;
    }
    const subdirs: [string, string][] = [];
    for (let start = 0; start < names.length; start += STAT_BATCH) {
      const batch = names.slice(start, start + STAT_BATCH);
      await Promise.all(
        batch.map(async (name) => {
          const absolutePath = path.join(dir, name);
          const relativePath = (relativeDir ? `${relativeDir}/${name}` : name).normalize('NFC');
          if (excluded.has(absolutePath)) return;
          const entry = await classify(absolutePath, relativePath);
          if (entry.kind === 'file') files.push(entry.file);
          else if (entry.kind === 'dir') subdirs.push([absolutePath, relativePath]);
          else skipped.push(entry.skipped);
        }),
      );
    }
    for (const [absolutePath, relativePath] of subdirs) await visit(absolutePath, relativePath);
  }

  type Classified =
    | { kind: 'file'; file: LocalFile }
    | { kind: 'dir' }
    | { kind: 'skip'; skipped: SkippedEntry };

  async function classify(absolutePath: string, relativePath: string): Promise<Classified> {
    let info = await lstat(absolutePath).catch((error: unknown) => error as NodeJS.ErrnoException);
    if (info instanceof Error) return { kind: 'skip', skipped: { relativePath, reason: 'unreadable', detail: errorCode(info) } };
    if (info.isSymbolicLink()) {
      if (!options.followSymlinks) return { kind: 'skip', skipped: { relativePath, reason: 'symlink' } };
      const target = await stat(absolutePath).catch((error: unknown) => error as NodeJS.ErrnoException);
      if (target instanceof Error) return { kind: 'skip', skipped: { relativePath, reason: 'broken-symlink', detail: errorCode(target) } };
      info = target;
      if (info.isDirectory()) {
        // A link back up the tree would otherwise be walked forever.
        const real = await realpath(absolutePath);
        if (visitedDirs.has(real)) return { kind: 'skip', skipped: { relativePath, reason: 'symlink-loop' } };
        visitedDirs.add(real);
      }
    }
    if (info.isDirectory()) return { kind: 'dir' };
    if (!info.isFile()) return { kind: 'skip', skipped: { relativePath, reason: 'not-a-regular-file' } };
    return { kind: 'file', file: { relativePath, absolutePath, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino } };
  }

  await visit(root, '');
  files.sort((a, b) => compareText(a.relativePath, b.relativePath));
  skipped.sort((a, b) => compareText(a.relativePath, b.relativePath));
  return { files, skipped };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error);
}
