import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';

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

/**
 * Lists every regular file under `root`, sorted by relative path, with what was skipped and why.
 * Synchronous stats on purpose: a few thousand lstat calls take milliseconds this way, several
 * times longer as promises through the thread pool, and this runs while the bucket listing is in flight.
 */
export async function walkFiles(root: string, options: WalkOptions = {}): Promise<WalkResult> {
  const files: LocalFile[] = [];
  const skipped: SkippedEntry[] = [];
  const visitedDirs = new Set<string>([realpathSync(root)]);
  const excluded = new Set((options.exclude ?? []).map((dir) => path.resolve(dir)));

  const visit = async (dir: string, relativeDir: string): Promise<void> => {
    // Between directories, let requests started by the caller (the bucket listing) go out.
    await nextTurn();
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (error) {
      skipped.push({ relativePath: relativeDir || '.', reason: 'unreadable', detail: errorCode(error) });
      return;
    }
    for (const name of names) {
      const absolutePath = path.join(dir, name);
      if (excluded.has(absolutePath)) continue;
      const relativePath = (relativeDir ? `${relativeDir}/${name}` : name).normalize('NFC');
      const info = classify(absolutePath, relativePath);
      if (info === 'dir') await visit(absolutePath, relativePath);
      else if (info) files.push({ relativePath, absolutePath, size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
    }
  };

  /** The file's stats, 'dir' to descend, or undefined when it was reported as skipped. */
  const classify = (absolutePath: string, relativePath: string): Stats | 'dir' | undefined => {
    const skip = (reason: SkippedEntry['reason'], error?: unknown): undefined => {
      skipped.push({ relativePath, reason, ...(error === undefined ? {} : { detail: errorCode(error) }) });
      return undefined;
    };
    let info: Stats;
    try {
      info = lstatSync(absolutePath);
    } catch (error) {
      return skip('unreadable', error);
    }
    if (info.isSymbolicLink()) {
      if (!options.followSymlinks) return skip('symlink');
      try {
        info = statSync(absolutePath);
      } catch (error) {
        return skip('broken-symlink', error);
      }
      if (info.isDirectory()) {
        // A link back up the tree would otherwise be walked forever.
        const real = realpathSync(absolutePath);
        if (visitedDirs.has(real)) return skip('symlink-loop');
        visitedDirs.add(real);
      }
    }
    if (info.isDirectory()) return 'dir';
    if (!info.isFile()) return skip('not-a-regular-file');
    return info;
  };

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
