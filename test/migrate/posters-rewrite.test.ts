import { readFile } from 'node:fs/promises';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createTestBucket } from '../support/s3.ts';
import { jpegBytes, listKeys, migrate, tempDirs, useS3WithFaultProxy, writeFiles } from './posters/harness.ts';

const LEGACY_ROOT = '/var/www/monolith/public/uploads';

/** Schema v1 (the monolith's), optionally with the column the API's v2 migration adds (same DDL as 002). */
async function legacyDatabase(withKeyColumn: boolean): Promise<TestDatabase & { query: (sql: string, values?: unknown[]) => Promise<any[]> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const database = await createTestDatabase('tk_posters');
  const connection = await mysql.createConnection({ uri: database.url, multipleStatements: true });
  await connection.query(await readFile('app/infra/mysql/migrations/001_legacy_monolith.sql', 'utf8'));
  if (withKeyColumn) {
    await connection.query(
      "ALTER TABLE events ADD COLUMN poster_key VARCHAR(1024) NULL COMMENT 'S3 object key; URLs are built from POSTER_BASE_URL' AFTER poster_path",
    );
  }
  const paths = [`${LEGACY_ROOT}/2019/a b.jpg`, `${LEGACY_ROOT}/2019/Zoë.jpg`, `${LEGACY_ROOT}/2020/gone.jpg`, null, `${LEGACY_ROOT}/2020/flaky.jpg`];
  for (const [index, posterPath] of paths.entries()) {
    await connection.query('INSERT INTO events (id, name, venue, starts_at, on_sale_at, poster_path) VALUES (?, ?, ?, NOW(), NOW(), ?)', [
      index + 1, `Event ${index + 1}`, 'Hall', posterPath,
    ]);
  }
  await connection.end();
  return {
    ...database,
    async query(sql, values) {
      const conn = await mysql.createConnection(database.url);
      try {
        const [rows] = await conn.query(sql, values);
        return rows as any[]; // eslint-disable-line @typescript-eslint/no-explicit-any
      } finally {
        await conn.end();
      }
    },
  };
}

describe('bin/migrate posters --rewrite-db', () => {
  const s3 = useS3WithFaultProxy();
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((database) => database.drop()));
  });

  async function setUp(withKeyColumn = true) {
    const database = await legacyDatabase(withKeyColumn);
    databases.push(database);
    const bucket = await createTestBucket(s3.client, 'tk-posters');
    const { from, state } = await tempDirs();
    // The files were copied off the monolith: same tree, another root. gone.jpg was never copied.
    await writeFiles(from, { '2019/a b.jpg': jpegBytes(40_000, 1), '2019/Zoë.jpg': jpegBytes(41_000, 2), '2020/flaky.jpg': jpegBytes(42_000, 3) });
    const args = ['--from', from, '--bucket', bucket, '--endpoint', s3.proxy.endpoint, '--state-dir', state, '--rewrite-db', database.url, '--json'];
    return { database, bucket, args };
  }

  it('points rows at verified objects only, is safe to re-run, is checked by verify-posters and rolls back', async () => {
    const { database, bucket, args } = await setUp();
    // flaky.jpg never gets through: its row must keep pointing at nothing new.
    s3.proxy.decide = (request) => (request.method === 'PUT' && request.path.includes('/2020/flaky.') ? 'drop' : 'pass');
    const first = await migrate(['posters', ...args, '--retries', '1']);
    s3.proxy.decide = () => 'pass';
    expect(first.exitCode).toBe(1);
    expect(first.report.rewrite).toMatchObject({
      rows: 5, rewritten: 2, withoutPath: 1, conflicts: 0,
      missingFile: [{ id: 3, path: `${LEGACY_ROOT}/2020/gone.jpg` }],
      notVerified: [{ id: 5, path: `${LEGACY_ROOT}/2020/flaky.jpg` }],
    });
    const keys = await listKeys(s3.client, bucket);
    const rows = await database.query('SELECT id, poster_path, poster_key FROM events ORDER BY id');
    expect(rows.map((row) => row.poster_key)).toEqual([
      expect.stringMatching(/^posters\/2019\/a b\.[0-9a-f]{16}\.jpg$/), expect.stringMatching(/^posters\/2019\/Zoë\.[0-9a-f]{16}\.jpg$/), null, null, null,
    ]);
    for (const row of rows.slice(0, 2)) expect(keys.has(row.poster_key)).toBe(true);
    expect(rows[0].poster_path).toBe(`${LEGACY_ROOT}/2019/a b.jpg`); // the old path stays for the monolith

    const second = await migrate(['posters', ...args]);
    expect(second.exitCode).toBe(0);
    expect(second.report).toMatchObject({ uploaded: 1, unchanged: 2 });
    expect(second.report.rewrite).toMatchObject({ rewritten: 1, alreadyCurrent: 2, notVerified: [] });

    expect((await migrate(['verify-posters', ...args])).exitCode).toBe(0);
    const [first_] = await database.query('SELECT poster_key FROM events WHERE id = 1');
    await s3.client.send(new DeleteObjectCommand({ Bucket: bucket, Key: first_.poster_key }));
    const verify = await migrate(['verify-posters', ...args]);
    expect(verify.exitCode).toBe(1);
    expect(verify.report.rows).toEqual({ checked: 3, missingObject: [{ id: 1, key: first_.poster_key }] });

    const rollback = await migrate(['posters', ...args, '--rollback']);
    expect(rollback.exitCode).toBe(0);
    expect(rollback.report.rollback).toMatchObject({ entries: 3, restored: 3, conflicts: [] });
    expect((await database.query('SELECT poster_key FROM events')).map((row) => row.poster_key)).toEqual([null, null, null, null, null]);
    const again = await migrate(['posters', ...args, '--rollback']);
    expect(again).toMatchObject({ exitCode: 2, stderr: expect.stringMatching(/^error: nothing to roll back/) });
  });

  it('stops before uploading when the key column is missing, and never adds it', async () => {
    const { database, bucket, args } = await setUp(false);
    const run = await migrate(['posters', ...args]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      'error: column events.poster_key does not exist: start the API once against this database (its migration adds it) or pass --key-column',
    ]);
    expect((await listKeys(s3.client, bucket)).size).toBe(0);
    expect(await database.query("SHOW COLUMNS FROM events LIKE 'poster_key'")).toEqual([]);
  });
});
