import { createHash } from 'node:crypto';
import { appendFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffContentType } from '../../migrate/local/content-type.ts';
import { digestBuffer, digestFile } from '../../migrate/local/file-digest.ts';
import { PosterManifest, type ManifestEntry } from '../../migrate/state/poster-manifest.ts';
import { normalisePrefix, objectKeyFor } from '../../migrate/operations/posters/object-key.ts';
import { BufferPool } from '../../migrate/local/buffer-pool.ts';
import { parsePosterOptions } from '../../migrate/commands/poster-options.ts';
import { parseBytes } from '../../migrate/commands/option-parsers.ts';
import { classifyError } from '../../migrate/retry/error-class.ts';
import { withRetries } from '../../migrate/retry/with-retries.ts';
import { PosterPathResolver } from '../../migrate/operations/posters/poster-path-resolver.ts';
import { UsageError } from '../../migrate/errors.ts';

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest();

describe('posters: pure parts', () => {
  it('builds content-addressed keys that keep the readable name', () => {
    const hash = 'ab'.repeat(32);
    expect(objectKeyFor('2019/a b.jpg', hash, 'hashed', 'posters/')).toBe(`posters/2019/a b.${'ab'.repeat(8)}.jpg`);
    expect(objectKeyFor('noext', hash, 'hashed', '')).toBe(`noext.${'ab'.repeat(8)}`);
    expect(objectKeyFor('2019/a.jpg', hash, 'path', 'posters/')).toBe('posters/2019/a.jpg');
    expect([normalisePrefix('posters'), normalisePrefix('/posters/'), normalisePrefix('')]).toEqual(['posters/', 'posters/', '']);
  });

  it('computes the whole-object checksum for one part and S3\'s composite checksum for several', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tk-digest-'));
    const data = Buffer.alloc(5 * 1024 * 1024 * 2 + 10, 1);
    data[7] = 9;
    await writeFile(path.join(dir, 'f'), data);
    const parts = [data.subarray(0, 5 * 1024 * 1024), data.subarray(5 * 1024 * 1024, 10 * 1024 * 1024), data.subarray(10 * 1024 * 1024)];
    const composite = `${createHash('sha256').update(Buffer.concat(parts.map(sha256))).digest('base64')}-3`;
    const digest = await digestFile(path.join(dir, 'f'), 5 * 1024 * 1024);
    expect(digest).toMatchObject({ size: data.length, sha256Hex: sha256(data).toString('hex'), s3Checksum: composite });
    expect(digestBuffer(data.subarray(0, 100)).s3Checksum).toBe(sha256(data.subarray(0, 100)).toString('base64'));
    expect((await digestFile(path.join(dir, 'f'), 64 * 1024 * 1024)).s3Checksum).toBe(sha256(data).toString('base64'));
  });

  it('sniffs the type from bytes, not the name', async () => {
    expect(await sniffContentType(Buffer.from('ffd8ffe000104a464946', 'hex'))).toBe('image/jpeg');
    expect(await sniffContentType(Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WEBPVP8 ')]))).toBe('image/webp');
    expect(await sniffContentType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('image/svg+xml');
    expect(await sniffContentType(Buffer.from('just some text'))).toBe('application/octet-stream');
    expect(await sniffContentType(Buffer.alloc(0))).toBe('application/octet-stream');
  });

  it('maps legacy paths to files found under --from', () => {
    const resolver = new PosterPathResolver('/data/uploads', ['posters/2019/a.jpg', 'b.jpg']);
    expect(resolver.resolve('/data/uploads/posters/2019/a.jpg')).toBe('posters/2019/a.jpg');
    expect(resolver.resolve('/var/www/old/uploads/posters/2019/a.jpg')).toBe('posters/2019/a.jpg');
    expect(resolver.resolve('posters/2019/a.jpg')).toBe('posters/2019/a.jpg');
    expect(resolver.resolve('/x/b.jpg')).toBe('b.jpg');
    expect(resolver.resolve('/x/missing.jpg')).toBeUndefined();
    // NFD on one side, NFC on the other: the same name.
    expect(new PosterPathResolver('/d', ['Zoë.jpg']).resolve('/old/Zoe\u0308.jpg')).toBe('Zoë.jpg');
  });

  it('keeps the last manifest line per file and ignores a torn last line', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tk-manifest-'));
    const entry: ManifestEntry = {
      path: 'a.jpg', size: 1, mtimeMs: 1, ino: 1, sha256: 'x', checksum: 'y', key: 'k1', etag: '"e"', contentType: 'image/jpeg', verifiedAt: 'now',
    };
    const manifest = await PosterManifest.open(dir);
    manifest.record(entry);
    manifest.record({ ...entry, key: 'k2' });
    manifest.record({ ...entry, path: 'b.jpg' });
    manifest.forget('b.jpg');
    await manifest.close();
    await appendFile(path.join(dir, 'manifest.jsonl'), '{"path":"c.jpg","si');
    const reopened = await PosterManifest.open(dir);
    expect([reopened.size, reopened.get('a.jpg')?.key, reopened.get('b.jpg'), reopened.get('c.jpg')]).toEqual([1, 'k2', undefined, undefined]);
  });

  it('bounds and reuses buffers in flight, first come first served', async () => {
    const pool = new BufferPool(2 * 1024 * 1024, 2 * 1024 * 1024);
    const order: string[] = [];
    const a = await pool.acquire(100_000); // a 1 MiB buffer
    const b = pool.acquire(1_500_000).then((lease) => (order.push('b'), lease)); // a 2 MiB one: waits for a
    const c = pool.acquire(10).then((lease) => (order.push('c'), lease)); // would fit, but queues behind b
    await Promise.resolve();
    expect([a.buffer.length, order]).toEqual([100_000, []]);
    a.release();
    const leaseB = await b;
    expect(order).toEqual(['b']);
    leaseB.release();
    const leaseC = await c;
    leaseC.release();
    // The same memory comes back instead of a new allocation.
    const first = await pool.acquire(200_000);
    first.release();
    const second = await pool.acquire(900_000);
    expect(second.buffer.buffer === first.buffer.buffer).toBe(true);
    second.release();
    const reservation = await pool.reserve(10 * 1024 * 1024); // more than the pool: waits for all of it
    const late = pool.acquire(1).then(() => order.push('late'));
    await Promise.resolve();
    expect(order).not.toContain('late');
    reservation();
    await late;
  });

  it('classifies errors like rclone\'s fserrors and retries only what can succeed later', async () => {
    expect(classifyError(Object.assign(new Error('slow'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } }))).toBe('retryable');
    expect(classifyError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe('retryable');
    expect(classifyError(Object.assign(new Error('no'), { name: 'NoSuchBucket', $metadata: { httpStatusCode: 404 } }))).toBe('fatal');
    expect(classifyError(Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }))).toBe('fatal');
    expect(classifyError(new Error('EISDIR'))).toBe('file');
    let calls = 0;
    const result = await withRetries(async () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('reset'), { code: 'ECONNRESET' });
      return 'ok';
    }, { baseDelayMs: 1 });
    expect([result, calls]).toEqual(['ok', 3]);
    calls = 0;
    await expect(withRetries(async () => {
      calls += 1;
      throw new Error('bad file');
    }, { baseDelayMs: 1 })).rejects.toThrow('bad file');
    expect(calls).toBe(1);
  });

  it('validates options with one clear line each', () => {
    expect(parseBytes('8MiB', 0, '--part-size')).toBe(8 * 1024 * 1024);
    expect(parseBytes('5MB', 0, '--part-size')).toBe(5_000_000);
    expect(() => parseBytes('lots', 0, '--part-size')).toThrow(UsageError);
    const base = { from: '/data', bucket: 'b' };
    expect(() => parsePosterOptions({ ...base, concurrency: '0' }, {})).toThrow('--concurrency must be a whole number of at least 1, got "0"');
    expect(() => parsePosterOptions({ ...base, verify: 'maybe' }, {})).toThrow('--verify must be one of checksum, download, size');
    expect(() => parsePosterOptions({ ...base, rewriteDb: 'mysql://root@h/db', table: 'events; drop' }, {})).toThrow('--table must be a plain SQL identifier');
    expect(() => parsePosterOptions({ ...base, rollback: true }, {})).toThrow('--rollback needs --rewrite-db');
    const options = parsePosterOptions({ ...base, keyStyle: 'path' }, { HOME: '/home/u' });
    expect(options).toMatchObject({ prefix: 'posters/', cacheControl: 'public, max-age=300', concurrency: 16 });
    expect(options.stateDir.startsWith('/home/u/.local/state/ticketkit/posters/b-')).toBe(true);
  });
});
