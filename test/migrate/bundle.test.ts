import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');

/** A copy of what bin/migrate needs, so building and touching files here leaves the checkout alone. */
async function copyOfTheCli(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tk-bundle-'));
  for (const entry of ['package.json', 'bin', 'migrate', 'app', 'tools']) await cp(path.join(repo, entry), path.join(root, entry), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

const cli = (root: string, ...args: string[]) => run(process.execPath, [path.join(root, 'bin/migrate'), ...args], { cwd: root });

describe('bin/migrate start-up', () => {
  it('runs the bundle while it is current and the sources once one of them is newer', async () => {
    const root = await copyOfTheCli();
    await run(process.execPath, [path.join(root, 'tools/bundle-migrate.mjs')]);
    // Mark the bundle so the run says which code it executed.
    const bundle = path.join(root, 'dist/migrate/migrate.mjs');
    await writeFile(bundle, `process.stderr.write('[bundle]\\n');\n${await readFile(bundle, 'utf8')}`);

    const fromBundle = await cli(root, '--help');
    expect(fromBundle.stderr).toContain('[bundle]');
    expect(fromBundle.stdout).toContain('posters');

    // An edited source (here: a file only the posters command imports) makes the bundle stale.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'migrate/s3/bucket-listing.ts'), later, later);
    const fromSources = await cli(root, '--help');
    expect(fromSources.stderr).not.toContain('[bundle]');
    expect(fromSources.stdout).toBe(fromBundle.stdout);
  });

  it('keeps each command\'s packages out of start-up: a usage error answers without loading mysql2 or the AWS SDK', async () => {
    const root = await copyOfTheCli();
    await run(process.execPath, [path.join(root, 'tools/bundle-migrate.mjs')]);
    const bundle = await readFile(path.join(root, 'dist/migrate/migrate.mjs'), 'utf8');
    const eagerPackages = [...bundle.matchAll(/^import .* from "([^".][^"]*)";$/gm)].map((match) => match[1]);
    expect(eagerPackages).not.toContain('mysql2/promise');
    expect(eagerPackages.filter((name) => name!.startsWith('@aws-sdk/'))).toEqual([]);
    const failure = await cli(root, 'posters', '--bucket', 'b').catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
  });
});
