import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { generateLegacyDataset, LEGACY_BUYER, type LegacyDatasetSummary } from '../../migrate/fixtures/legacy-dataset.ts';
import { legacyCounts } from '../../migrate/fixtures/legacy-rows.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { runMigrate } from './helpers/run-migrate.ts';

let first: TestDatabase;
let second: TestDatabase;
let posterDir: string;
let summary: LegacyDatasetSummary;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase('tk_mig_gen_a'), createTestDatabase('tk_mig_gen_b')]);
  posterDir = await mkdtemp(path.join(tmpdir(), 'tk-posters-'));
  summary = await generateLegacyDataset({
    url: first.url,
    scale: 0.5,
    seed: 7,
    posterDir,
    posters: { count: 10, smallBytes: [1_000, 2_000], largeBytes: [20_000, 30_000] },
  });
  await generateLegacyDataset({ url: second.url, scale: 0.5, seed: 7, posterDir: path.join(posterDir, 'again'), posters: { count: 10, smallBytes: [1_000, 2_000], largeBytes: [20_000, 30_000] } });
}, 120_000);

afterAll(async () => {
  await Promise.all([first?.drop(), second?.drop(), posterDir ? rm(posterDir, { recursive: true, force: true }) : undefined]);
});

test('fills schema v1 at the requested scale', async () => {
  const counts = legacyCounts(0.5);
  expect(summary.rows.users).toBe(counts.users);
  expect(summary.rows.events).toBe(Math.max(counts.events, 10));
  expect(summary.rows.seats).toBe(summary.rows.events! * counts.seatsPerEvent);
  expect(summary.rows.orders).toBe(counts.orders);
  expect(summary.rows.tickets).toBeGreaterThanOrEqual(counts.orders);
  expect(summary.totalRows).toBe(Object.values(summary.rows).reduce((a, b) => a + b, 0));
});

test('the documented buyer logs in with a legacy bcrypt hash and owns orders', async () => {
  const connection = await mysql.createConnection(first.url);
  try {
    const [[user]] = (await connection.query('SELECT id, password_hash FROM users WHERE email = ?', [LEGACY_BUYER.email])) as unknown as [{ id: number; password_hash: string }[]];
    expect(user!.password_hash).toMatch(/^\$2[ab]\$10\$/);
    expect(await bcrypt.compare(LEGACY_BUYER.password, user!.password_hash)).toBe(true);
    const [[orders]] = (await connection.query('SELECT COUNT(*) AS n FROM orders WHERE user_id = ?', [user!.id])) as unknown as [{ n: number }[]];
    expect(Number(orders!.n)).toBeGreaterThan(0);
    // No seat is sold twice in the generated history.
    const [[doubles]] = (await connection.query('SELECT COUNT(*) - COUNT(DISTINCT seat_id) AS n FROM tickets')) as unknown as [{ n: number }[]];
    expect(Number(doubles!.n)).toBe(0);
  } finally {
    await connection.end();
  }
});

test('poster files exist where events.poster_path points, with the requested size mix', async () => {
  expect(summary.posterFiles).toHaveLength(10);
  const large = summary.posterFiles.filter((file) => file.bytes >= 20_000);
  expect(large).toHaveLength(2);
  for (const file of summary.posterFiles) expect((await stat(file.path)).size).toBe(file.bytes);
  const connection = await mysql.createConnection(first.url);
  try {
    const [rows] = await connection.query('SELECT poster_path AS p FROM events WHERE poster_path IS NOT NULL ORDER BY id');
    expect((rows as { p: string }[]).map((row) => row.p)).toEqual(summary.posterFiles.map((file) => file.path));
  } finally {
    await connection.end();
  }
});

test('the same seed builds the same rows (bin/migrate verify agrees, except poster paths)', async () => {
  const result = await runMigrate(['verify', '--source', first.url, '--target', second.url, '--exclude', 'events,users']);
  expect(result.code).toBe(0);
});
