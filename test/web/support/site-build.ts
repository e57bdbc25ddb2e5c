import { mkdir, readdir, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { defaultSiteDirectory } from '../../../app/http/routes/site.ts';

const webDirectory = fileURLToPath(new URL('../../../web/', import.meta.url));
const lockDirectory = join(defaultSiteDirectory, '..', '.web-build.lock');

async function newestSourceMtime(directory: string): Promise<number> {
  let newest = 0;
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? await newestSourceMtime(path) : (await stat(path)).mtimeMs);
  }
  return newest;
}

async function isStale(): Promise<boolean> {
  const built = await stat(join(defaultSiteDirectory, 'index.html')).catch(() => null);
  return !built || built.mtimeMs < (await newestSourceMtime(webDirectory));
}

/**
 * Makes sure dist/web is the build of the current web/ sources (`npm ci` builds it in `prepare`; this
 * rebuilds after an edit). A lock directory keeps test files running in parallel from building at once.
 */
export async function ensureSiteBuilt(): Promise<void> {
  if (!(await isStale())) return;
  await mkdir(join(defaultSiteDirectory, '..'), { recursive: true });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await mkdir(lockDirectory);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`${lockDirectory} is held for over 60 s: remove it if no build runs`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    if (await isStale()) await build({ configFile: join(webDirectory, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    await rmdir(lockDirectory);
  }
}
