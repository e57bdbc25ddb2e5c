import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { generateLegacyDataset } from '../../migrate/fixtures/legacy-dataset.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { jsonLines, runMigrate } from './helpers/run-migrate.ts';

let server: MariadbServer;
let source: TestDatabase;
let targetUrl: string;

beforeAll(async () => {
  [server, source] = await Promise.all([startMariadbServer(), createTestDatabase('tk_mig_verify')]);
  await generateLegacyDataset({ url: source.url, scale: 0.3 });
  targetUrl = `${server.url}/legacy`;
  const copy = await runMigrate(['db', '--source', source.url, '--target', targetUrl, '--no-verify']);
  expect(copy.code).toBe(0);
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), source?.drop()]);
});

test('identical databases verify with exit code 0', async () => {
  const result = await runMigrate(['verify', '--source', source.url, '--target', targetUrl, '--chunk-rows', '200']);
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/verified: 5 tables, [\d,]+ rows identical/);
});

test('one changed, one missing and one extra row are each named by table and key (text and JSON)', async () => {
  const target = await mysql.createConnection(targetUrl);
  try {
    await target.query("UPDATE users SET name = CONCAT(name, ' ') WHERE id = 5");
    await target.query('DELETE FROM tickets WHERE id = 7');
    await target.query("INSERT INTO orders (id, user_id, event_id, total_cents, created_at) VALUES (99999, 1, 1, 100, '2020-01-01 00:00:00')");
  } finally {
    await target.end();
  }
  const text = await runMigrate(['verify', '--source', source.url, '--target', targetUrl, '--chunk-rows', '200']);
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('mismatch users id=5: differs');
  expect(text.stdout).toContain('mismatch tickets id=7: missing on target');
  expect(text.stdout).toContain('mismatch orders id=99999: extra on target');
  const errors = text.stderr.split('\n').filter((line) => line.startsWith('error:'));
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^error: source and target differ: 3 rows in (users|tickets|orders), (users|tickets|orders), (users|tickets|orders)$/);

  const json = await runMigrate(['verify', '--source', source.url, '--target', targetUrl, '--json']);
  expect(json.code).toBe(1);
  const report = jsonLines(json.stdout).find((line) => line.type === 'report') as { tables: { table: string; verdict: string; differences: unknown[] }[] };
  const differences = report.tables.flatMap((table) => table.differences);
  expect(differences).toEqual(
    expect.arrayContaining([
      { table: 'users', kind: 'changed', key: { id: '5' } },
      { table: 'tickets', kind: 'missing', key: { id: '7' } },
      { table: 'orders', kind: 'extra', key: { id: '99999' } },
    ]),
  );
  expect(differences).toHaveLength(3);
  expect(report.tables.find((table) => table.table === 'events')?.verdict).toBe('match');
});

test('a table missing on the target is a mismatch', async () => {
  const target = await mysql.createConnection(targetUrl);
  try {
    await target.query('SET foreign_key_checks = 0');
    await target.query('DROP TABLE events');
  } finally {
    await target.end();
  }
  const result = await runMigrate(['verify', '--source', source.url, '--target', targetUrl, '--tables', 'events']);
  expect(result.code).toBe(1);
  expect(result.stdout).toContain('mismatch events: table missing on the target');
});
