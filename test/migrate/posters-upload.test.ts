import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { createTestBucket } from '../support/s3.ts';
import { uploadsOf, keyOf } from './posters/fault-proxy.ts';
import { getObject, headObject, jpegBytes, listKeys, migrate, tempDirs, useS3WithFaultProxy, writeFiles } from './posters/harness.ts';

const PNG = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(200, 7)]);
const MIB = 1024 * 1024;

describe('bin/migrate posters: upload', () => {
  const s3 = useS3WithFaultProxy();

  it('uploads odd names with sniffed types, immutable caching and a SHA-256 checksum on every request, then skips on re-run', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await tempDirs();
    const files = {
      '2019/summer fest.jpg': jpegBytes(120_000, 1),
      '2019/Café Tacvba — 東京.jpg': jpegBytes(80_000, 2),
      'really-a-png.jpg': PNG,
      'logo.svg': '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>',
      'empty.jpg': Buffer.alloc(0),
    };
    await writeFiles(from, files);
    await symlink(path.join(from, 'really-a-png.jpg'), path.join(from, 'link.jpg'));
    execFileSync('mkfifo', [path.join(from, 'pipe.jpg')]);
    const args = ['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--json'];

    const first = await migrate(args);
    expect(first.stderr).not.toMatch(/error/);
    expect(first.exitCode).toBe(0);
    expect(first.report).toMatchObject({
      files: 5, uploaded: 5, failed: [],
      notUploaded: [{ relativePath: 'link.jpg', reason: 'symlink' }, { relativePath: 'pipe.jpg', reason: 'not-a-regular-file' }],
    });

    const keys = await listKeys(s3.client, bucket);
    expect(keys.size).toBe(5);
    for (const [relative, content] of Object.entries(files)) {
      const bytes = Buffer.from(content);
      const sha = createHash('sha256').update(bytes).digest('hex');
      const key = `posters/${relative.replace(/(\.[a-z]+)$/, `.${sha.slice(0, 16)}$1`)}`;
      expect((await getObject(s3.client, bucket, key)).equals(bytes)).toBe(true);
      const put = uploadsOf(s3.proxy, bucket).find((request) => keyOf(request, bucket) === key) ?? s3.proxy.seen.find((r) => r.method === 'PUT' && r.path === `/${bucket}/${key}`);
      expect(put?.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(bytes).digest('base64'));
      const head = await headObject(s3.client, bucket, key);
      expect(head.CacheControl).toBe('public, max-age=31536000, immutable');
      if (relative === 'really-a-png.jpg') expect(head.ContentType).toBe('image/png');
      if (relative === 'logo.svg') expect(head.ContentType).toBe('image/svg+xml');
      if (relative.startsWith('2019/')) expect(head.ContentType).toBe('image/jpeg');
    }

    const putsBefore = uploadsOf(s3.proxy, bucket).length;
    const second = await migrate(args);
    expect(second.exitCode).toBe(0);
    expect(second.report).toMatchObject({ unchanged: 5, uploaded: 0 });
    expect(uploadsOf(s3.proxy, bucket).length).toBe(putsBefore);

    const followed = await migrate([...args, '--follow-symlinks']);
    expect(followed.report).toMatchObject({ files: 6, uploaded: 1, unchanged: 5, notUploaded: [{ reason: 'not-a-regular-file' }] });
  });

  it('changes nothing with --dry-run, and says what it would upload', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await tempDirs();
    await writeFiles(from, { 'a.jpg': jpegBytes(10_000, 1), 'b.jpg': jpegBytes(11_000, 2) });
    const args = ['posters', '--from', from, '--bucket', bucket, '--endpoint', inject('s3Endpoint'), '--state-dir', state, '--json'];
    const dry = await migrate([...args, '--dry-run']);
    expect(dry.exitCode).toBe(0);
    expect(dry.report).toMatchObject({ dryRun: true, wouldUpload: 2, uploaded: 0 });
    expect((await listKeys(s3.client, bucket)).size).toBe(0);
    expect(await readFile(path.join(state, 'manifest.jsonl'), 'utf8').catch(() => '')).toBe('');
    const real = await migrate(args);
    expect(real.report).toMatchObject({ uploaded: 2, unchanged: 0 }); // the dry run recorded nothing
  });

  it('sends a file just over the part size as a multipart upload with per-part checksums', async () => {
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await tempDirs();
    const big = jpegBytes(5 * MIB + 70_000, 3);
    await writeFiles(from, { 'big.jpg': big });
    const run = await migrate(['posters', '--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--part-size', '5MiB', '--json']);
    expect(run.exitCode).toBe(0);
    const parts = uploadsOf(s3.proxy, bucket).filter((request) => request.query.has('partNumber'));
    expect(parts.map((part) => part.query.get('partNumber')).sort()).toEqual(['1', '2']);
    for (const part of parts) {
      const [start, end] = part.query.get('partNumber') === '1' ? [0, 5 * MIB] : [5 * MIB, big.length];
      expect(part.headers['x-amz-checksum-sha256']).toBe(createHash('sha256').update(big.subarray(start, end)).digest('base64'));
    }
    const [key] = [...(await listKeys(s3.client, bucket)).keys()];
    // Buffer.equals: a deep toEqual over megabytes is very slow.
    expect((await getObject(s3.client, bucket, key!)).equals(big)).toBe(true);
    expect((await headObject(s3.client, bucket, key!)).Metadata).toMatchObject({ 'part-size': String(5 * MIB) });
  });

  it('refuses bad input with one line and exit code 2', async () => {
    const { from, state } = await tempDirs();
    const missingFrom = await migrate(['posters', '--bucket', 'b']);
    expect(missingFrom.exitCode).toBe(2);
    const inside = await migrate(['posters', '--from', from, '--bucket', 'b', '--state-dir', path.join(from, 'state')]);
    expect(inside).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^error: --state-dir .* is inside --from/) });
    const noBucket = await migrate(['posters', '--from', from, '--bucket', 'tk-no-such-bucket', '--endpoint', inject('s3Endpoint'), '--state-dir', state]);
    expect(noBucket.exitCode).toBe(2);
    expect(noBucket.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: cannot use s3:\/\/tk-no-such-bucket\/posters\/ .*NoSuchBucket/)]);
    const badPart = await migrate(['posters', '--from', from, '--bucket', 'b', '--part-size', '1MiB']);
    expect(badPart).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/--part-size must be at least 5MiB/) });
  });
});
