import { writeFile, truncate } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestBucket } from '../support/s3.ts';
import { keyOf, uploadsOf } from './posters/fault-proxy.ts';
import { getObject, jpegBytes, listKeys, migrate, objectFileOnDisk, tempDirs, useS3WithFaultProxy, writeFiles } from './posters/harness.ts';

describe('bin/migrate posters: faults', () => {
  const s3 = useS3WithFaultProxy();

  async function sourceWith(count: number, size = 30_000) {
    const dirs = await tempDirs();
    const files: Record<string, Buffer> = {};
    for (let index = 0; index < count; index += 1) files[`p/${index}.jpg`] = jpegBytes(size + index, index + 10);
    await writeFiles(dirs.from, files);
    return { ...dirs, files };
  }

  it('survives 503 SlowDown and dropped connections by retrying, and every object ends up right', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state, files } = await sourceWith(12);
    let puts = 0;
    let faults = 0;
    s3.proxy.decide = (request) => {
      if (!request.path.startsWith(`/${bucket}/`) || request.method !== 'PUT') return 'pass';
      // Every other upload request fails, alternately throttled and cut off, six times in all.
      puts += 1;
      if (faults === 6 || puts % 2 === 0) return 'pass';
      faults += 1;
      return faults % 2 ? 'slowdown' : 'drop';
    };
    const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json', '--concurrency', '4']);
    s3.proxy.decide = () => 'pass';
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(faults).toBe(6);
    expect(run.report).toMatchObject({ uploaded: 12, failed: [] });
    const keys = await listKeys(s3.client, bucket);
    expect(keys.size).toBe(12);
    for (const [relative, bytes] of Object.entries(files)) {
      const key = [...keys.keys()].find((k) => k.startsWith(`posters/${relative.replace('.jpg', '.')}`))!;
      expect((await getObject(s3.client, bucket, key)).equals(bytes)).toBe(true);
    }
  });

  it('reports a file that keeps failing with exit code 1 and still uploads the rest', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await sourceWith(5);
    s3.proxy.decide = (request) => (request.method === 'PUT' && request.path.includes('/p/3.') ? 'drop' : 'pass');
    const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json', '--retries', '2']);
    s3.proxy.decide = () => 'pass';
    expect(run.exitCode).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: 1 file\(s\) not uploaded and verified, first: p\/3\.jpg: /)]);
    expect(run.report).toMatchObject({ uploaded: 4, failed: [{ path: 'p/3.jpg' }] });
    expect((await listKeys(s3.client, bucket)).size).toBe(4);
  });

  it('finds an object that arrived wrong on the server (s3rver keeps no checksum) and uploads it again', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state, files } = await sourceWith(3);
    let corrupted = 0;
    s3.proxy.decide = (request) => (request.method === 'PUT' && request.path.includes('/p/1.') && corrupted++ === 0 ? 'corrupt' : 'pass');
    const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json']);
    s3.proxy.decide = () => 'pass';
    expect(run.exitCode).toBe(0);
    expect(run.report).toMatchObject({ uploaded: 3, reuploadedAfterVerify: 1 });
    const key = [...(await listKeys(s3.client, bucket)).keys()].find((k) => k.startsWith('posters/p/1.'))!;
    expect((await getObject(s3.client, bucket, key)).equals(files['p/1.jpg']!)).toBe(true);
    expect(uploadsOf(s3.proxy, bucket).filter((request) => keyOf(request, bucket) === key)).toHaveLength(2);
  });

  describe('against a server that checks and reports checksums, like real S3 (the s3.proxy emulates it)', () => {
    beforeAll(() => {
      s3.proxy.emulateChecksums = true;
    });
    afterAll(() => {
      s3.proxy.emulateChecksums = false;
    });

    it('verifies each upload by the checksum the server computed, without another request per object', async () => {
      const bucket = await createTestBucket(s3.client, 'tk-posters');
      const { from, state } = await sourceWith(4);
      const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json']);
      expect(run.exitCode).toBe(0);
      expect(run.report).toMatchObject({ uploaded: 4, verifiedBy: { checksum: 4, download: 0, size: 0 } });
      const toBucket = s3.proxy.seen.filter((request) => request.path.startsWith(`/${bucket}`));
      // The listing, then one PUT per file: no HEAD, no read-back.
      expect(toBucket.map((request) => request.method).sort()).toEqual(['GET', 'PUT', 'PUT', 'PUT', 'PUT']);
      expect(toBucket.find((request) => request.method === 'GET')!.query.get('list-type')).toBe('2');
    });

    it('retries an upload the server refused as corrupted (BadDigest), and the object ends up right', async () => {
      const bucket = await createTestBucket(s3.client, 'tk-posters');
      const { from, state, files } = await sourceWith(3);
      let corrupted = 0;
      s3.proxy.decide = (request) => (request.method === 'PUT' && request.path.includes('/p/2.') && corrupted++ === 0 ? 'corrupt' : 'pass');
      const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json']);
      s3.proxy.decide = () => 'pass';
      expect(run.exitCode).toBe(0);
      expect(corrupted).toBeGreaterThan(1);
      expect(run.report).toMatchObject({ uploaded: 3, reuploadedAfterVerify: 0, verifiedBy: { checksum: 3 } });
      expect(run.report.retries).toBeGreaterThanOrEqual(1);
      const key = [...(await listKeys(s3.client, bucket)).keys()].find((k) => k.startsWith('posters/p/2.'))!;
      expect((await getObject(s3.client, bucket, key)).equals(files['p/2.jpg']!)).toBe(true);
    });

    it('uploads again when the checksum the server reports is not the file\'s', async () => {
      const bucket = await createTestBucket(s3.client, 'tk-posters');
      const { from, state } = await sourceWith(3);
      let misreported = 0;
      s3.proxy.decide = (request) => (request.method === 'PUT' && request.path.includes('/p/0.') && misreported++ === 0 ? 'misreport' : 'pass');
      const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json']);
      s3.proxy.decide = () => 'pass';
      expect(run.exitCode).toBe(0);
      expect(run.report).toMatchObject({ uploaded: 3, reuploadedAfterVerify: 1, verifiedBy: { checksum: 3 } });
      const key = [...(await listKeys(s3.client, bucket)).keys()].find((k) => k.startsWith('posters/p/0.'))!;
      expect(uploadsOf(s3.proxy, bucket).filter((request) => keyOf(request, bucket) === key)).toHaveLength(2);
    });
  });

  it('detects objects damaged in the server\'s data directory: a resized one on re-run, any with verify-posters and --recheck', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state, files } = await sourceWith(4);
    const args = ['--from', from, '--bucket', bucket, '--endpoint', inject('s3Endpoint'), '--state-dir', state, '--json'];
    expect((await migrate(['posters', ...args])).exitCode).toBe(0);
    const keys = [...(await listKeys(s3.client, bucket)).keys()].sort();

    // Same size, different bytes: only a checksum comparison can tell.
    const flipped = objectFileOnDisk(bucket, keys[0]!);
    const damaged = Buffer.from(files['p/0.jpg']!);
    damaged[100] = damaged[100]! ^ 0xff;
    await writeFile(flipped, damaged);
    // Shorter: the listing shows it.
    await truncate(objectFileOnDisk(bucket, keys[1]!), 10);

    const rerun = await migrate(['posters', ...args]);
    expect(rerun.report).toMatchObject({ uploaded: 1, unchanged: 3 });

    const verify = await migrate(['verify-posters', ...args]);
    expect(verify.exitCode).toBe(1);
    expect(verify.report.mismatches).toEqual([{ path: 'p/0.jpg', key: keys[0], reason: expect.stringMatching(/^sha256/) }]);
    expect(verify.stderr).toMatch(/^error: 1 file\(s\) do not match their object, first: p\/0\.jpg/);

    const recheck = await migrate(['posters', ...args, '--recheck']);
    expect(recheck.report).toMatchObject({ uploaded: 1, adopted: 3, reuploadedAfterVerify: 1 });
    expect((await migrate(['verify-posters', ...args])).exitCode).toBe(0);
  });

  it('detects a file changed between runs and uploads the new content under a new key', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await sourceWith(2);
    const args = ['posters', '--from', from, '--bucket', bucket, '--endpoint', inject('s3Endpoint'), '--state-dir', state, '--json'];
    await migrate(args);
    await writeFiles(from, { 'p/0.jpg': jpegBytes(30_000, 99) });
    const rerun = await migrate(args);
    expect(rerun.report).toMatchObject({ uploaded: 1, unchanged: 1 });
    expect((await listKeys(s3.client, bucket)).size).toBe(3); // the old version keeps serving rows not yet rewritten
  });
});
