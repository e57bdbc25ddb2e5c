import { cp, mkdtemp, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApiArtifact, ensureApiArtifact } from '../../tools/api-artifact.ts';

const repo = path.resolve(import.meta.dirname, '../..');
const copies: string[] = [];

/** A copy of what the artifact is built from, so editing sources here leaves the checkout alone. */
async function copyOfTheSources(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tk-api-artifact-'));
  copies.push(root);
  for (const entry of ['package.json', 'bin', 'app', 'shared', 'tools']) await cp(path.join(repo, entry), path.join(root, entry), { recursive: true });
  await symlink(path.join(repo, 'node_modules'), path.join(root, 'node_modules'));
  return root;
}

afterAll(async () => {
  for (const root of copies) await rm(root, { recursive: true, force: true });
});

describe('the API artifact build', () => {
  it('is rebuilt only when the content of something it was built from changes, and builds byte for byte the same', async () => {
    const root = await copyOfTheSources();
    const first = await ensureApiArtifact(root);
    expect(first.rebuilt).toBe(true);
    const bundle = await readFile(path.join(first.directory, 'bin', 'api'));

    // Current: reused, even when a source's time changed but not its content.
    const later = new Date(Date.now() + 60_000);
    await utimes(path.join(root, 'app/config.ts'), later, later);
    expect(await ensureApiArtifact(root)).toEqual({ ...first, rebuilt: false });

    // A Lua script (read at run time, not bundled) counts as a source too.
    const lua = path.join(root, 'app/infra/redis/lua/hold-seats.lua');
    await writeFile(lua, `${await readFile(lua, 'utf8')}\n-- edited\n`);
    const afterLua = await ensureApiArtifact(root);
    expect(afterLua.rebuilt).toBe(true);
    expect(afterLua.sourceHash).not.toBe(first.sourceHash);
    expect(await readFile(path.join(afterLua.directory, 'app/infra/redis/lua/hold-seats.lua'), 'utf8')).toContain('-- edited');

    // A second build from the same sources is identical, so the CDK asset hash does not churn.
    const again = await buildApiArtifact(root, path.join(root, 'dist', 'api-again'));
    expect(again.sourceHash).toBe(afterLua.sourceHash);
    expect(await readFile(path.join(again.directory, 'bin', 'api'))).toEqual(bundle);
  }, 120_000);
});
