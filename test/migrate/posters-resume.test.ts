import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { createTestBucket } from '../support/s3.ts';
import { keyOf, uploadsOf } from './posters/fault-proxy.ts';
import { jpegBytes, listKeys, migrate, S3_ENV, tempDirs, useS3WithFaultProxy, writeFiles } from './posters/harness.ts';

const FILES = 60;

describe('bin/migrate posters after kill -9', () => {
  const s3 = useS3WithFaultProxy();

  it('finishes on re-run with nothing lost and nothing already in the bucket sent again', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await tempDirs();
    const sizes = new Map<string, number>();
    const files: Record<string, Buffer> = {};
    for (let index = 0; index < FILES; index += 1) {
      files[`p/${index}.jpg`] = jpegBytes(20_000 + index, index);
      sizes.set(`${index}`, 20_000 + index);
    }
    await writeFiles(from, files);
    // Slow uploads down so the kill lands mid-run.
    s3.proxy.decide = (request) => (request.method === 'PUT' ? { delayMs: 60 } : 'pass');
    const args = ['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--concurrency', '2', '--json'];
    const child = spawn(process.execPath, [path.resolve('bin/migrate'), ...args], { env: { ...process.env, ...S3_ENV }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const manifestLines = async () => (await readFile(path.join(state, 'manifest.jsonl'), 'utf8').catch(() => '')).split('\n').length - 1;
    await waitUntil('10 files in the manifest', async () => (await manifestLines()) >= 10, 30_000, 25);
    child.kill('SIGKILL');
    await exited;
    s3.proxy.decide = () => 'pass';

    const before = await listKeys(s3.client, bucket);
    expect(before.size).toBeGreaterThanOrEqual(10);
    expect(before.size).toBeLessThan(FILES);
    const complete = [...before].filter(([key, size]) => sizes.get(/^posters\/p\/(\d+)\./.exec(key)![1]!) === size).map(([key]) => key);
    const uploadsBefore = uploadsOf(s3.proxy, bucket).length;

    const rerun = await migrate(args);
    expect(rerun.exitCode).toBe(0);
    const { uploaded, unchanged, adopted } = rerun.report;
    expect(uploaded + unchanged + adopted).toBe(FILES);
    expect(unchanged).toBeGreaterThanOrEqual(10); // the manifest lines written before the kill
    const resent = uploadsOf(s3.proxy, bucket).slice(uploadsBefore).map((request) => keyOf(request, bucket));
    expect(resent.filter((key) => complete.includes(key))).toEqual([]);
    expect(resent).toHaveLength(uploaded);
    expect((await listKeys(s3.client, bucket)).size).toBe(FILES);
    expect((await migrate(['verify-posters', ...args.slice(1)])).exitCode).toBe(0);
  });
});
