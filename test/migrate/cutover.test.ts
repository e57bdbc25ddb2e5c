import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import {
  checksumTables, createAppUser, seedShop, spawnLive, startBinlogSource, startWriter, waitForCatchUp, waitForLine, type MigrateProcess, type Writer,
} from './helpers/follow-fixtures.ts';
import { jsonLines, runMigrate } from './helpers/run-migrate.ts';
import { waitUntil } from '../support/wait.ts';

const TABLES = ['items', 'pairs', 'tokens'];
let source: MariadbServer;
let target: MariadbServer;
let sourceDb: mysql.Connection;
let targetDb: mysql.Connection;
let follower: MigrateProcess;
let writer: Writer;
let appUrl: string;

const cutoverArgs = () => ['cutover', '--source', `${source.url}/shop`, '--target', `${target.url}/shop`, '--json'];

async function readOnly(): Promise<number> {
  const [[row]] = (await sourceDb.query('SELECT @@global.read_only AS ro')) as unknown as [{ ro: number }[]];
  return Number(row!.ro);
}

beforeAll(async () => {
  [source, target] = await Promise.all([startBinlogSource(31), startMariadbServer()]);
  sourceDb = await mysql.createConnection({ uri: source.url, multipleStatements: true });
  await sourceDb.query('CREATE DATABASE shop');
  await seedShop(`${source.url}/shop`, 300);
  appUrl = await createAppUser(source, 'shop');
  targetDb = await mysql.createConnection({ uri: target.url, multipleStatements: true });
  // A steady writer through the application's own (unprivileged) account, from before the copy on.
  writer = startWriter(appUrl, 3, { pauseMs: 5 });
  follower = await spawnLive(['db', '--source', `${source.url}/shop`, '--target', `${target.url}/shop`, '--chunk-rows', '50', '--follow', '--json']);
  await waitForLine(follower, (line) => line.type === 'progress' && line.phase === 'follow' && Number(line.applied) > 0, 'the follower applying changes');
}, 180_000);

afterAll(async () => {
  await writer?.stop().catch(() => undefined);
  follower?.child.kill('SIGKILL');
  await Promise.all([sourceDb?.end(), targetDb?.end()]);
  await Promise.all([source?.stop(), target?.stop()]);
});

test('a cutover whose verification fails is undone: the source is writable again and the follower goes on', async () => {
  // A row changed on the target behind the follower's back: the cutover must notice and undo.
  await sourceDb.query("UPDATE shop.pairs SET total = total + 1 WHERE region = 'us'");
  await waitForCatchUp(sourceDb, targetDb, 'shop');
  await targetDb.query("UPDATE shop.pairs SET total = 999 WHERE region = 'us'");
  const aborted = await runMigrate(cutoverArgs());
  expect(aborted.code).toBe(1);
  expect(aborted.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: cutover aborted: verification found differences in pairs \(1 rows\).*the source is writable again$/)]);
  const report = jsonLines(aborted.stdout).find((line) => line.type === 'report')!;
  expect(report).toEqual(expect.objectContaining({ outcome: 'aborted', sourceReadOnly: false }));
  expect(await readOnly()).toBe(0);
  // The shop sells again, and the follower still applies (the source's next change repairs the row).
  const committed = writer.committed();
  await sourceDb.query("UPDATE shop.pairs SET total = total + 1 WHERE region = 'us'");
  await waitUntil('the shop to sell again', () => writer.committed() > committed);
  await waitForCatchUp(sourceDb, targetDb, 'shop');
  expect((await targetDb.query("SELECT total FROM shop.pairs WHERE region = 'us'"))[0]).not.toEqual([{ total: '999.00' }]);
});

test('a cutover whose deadline passes (the follower cannot catch up) is undone: the source is writable again', async () => {
  follower.child.kill('SIGSTOP');
  try {
    await sourceDb.query("UPDATE shop.pairs SET total = total + 1 WHERE region = 'eu'");
    const aborted = await runMigrate([...cutoverArgs(), '--max-downtime', '2s']);
    expect(aborted.code).toBe(1);
    expect(aborted.stderr).toMatch(/^error: cutover aborted: the 2 s downtime budget ran out before the follower reached .*the source is writable again\n$/);
    expect(await readOnly()).toBe(0);
    const committed = writer.committed();
    await waitUntil('the shop to sell again', () => writer.committed() > committed);
  } finally {
    follower.child.kill('SIGCONT');
  }
  await waitForCatchUp(sourceDb, targetDb, 'shop');
});

test('a follower stalled inside a batch (its checkpoint row locked) holds the cutover no longer than its budget: undone, the source is writable again', async () => {
  // Stall it right after it reported, so the cutover still finds it alive when it starts.
  await waitUntil('a fresh follower heartbeat', async () => {
    const [[row]] = (await targetDb.query(
      "SELECT TIMESTAMPDIFF(MICROSECOND, heartbeat_at, NOW(3)) / 1e6 AS age FROM _ticketkit_migrate.follow_state WHERE target_schema = 'shop'",
    )) as unknown as [{ age: string }[]];
    return Number(row!.age) < 0.5;
  }, 30_000, 20);
  const stalled = await mysql.createConnection(target.url);
  await stalled.query('BEGIN');
  await stalled.query('SELECT * FROM _ticketkit_migrate.follow_state WHERE target_schema = ? FOR UPDATE', ['shop']);
  try {
    const aborted = await runMigrate([...cutoverArgs(), '--max-downtime', '2s']);
    expect(aborted.code, aborted.stderr).toBe(1);
    expect(aborted.stderr).toMatch(/^error: cutover aborted: the 2 s downtime budget ran out before the follower reached .*holds its checkpoint locked.*the source is writable again\n$/);
    expect(await readOnly()).toBe(0);
  } finally {
    await stalled.query('ROLLBACK');
    await stalled.end();
  }
  await waitForCatchUp(sourceDb, targetDb, 'shop');
});

test('under a steady writer: writes stop, the follower applies the rest, changed chunks verify, CHECKSUM TABLE identical; the source stays read-only', async () => {
  const before = writer.committed();
  const result = await runMigrate(cutoverArgs());
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  const report = jsonLines(result.stdout).find((line) => line.type === 'report') as Record<string, unknown> & {
    downtimeSeconds: number; finalPosition: { file: string; position: number }; verifiedChunks: number; repoint: { DATABASE_URL: string };
    bypassSessions: { user: string }[];
  };
  expect(result.stdout.trim().split('\n')).toHaveLength(1);
  expect(report.outcome).toBe('done');
  expect(report.downtimeSeconds).toBeGreaterThan(0);
  expect(report.verifiedChunks).toBeGreaterThan(0);
  expect(report.repoint.DATABASE_URL).toBe(`${target.url}/shop`);
  // The test's own root session could write despite read_only: it is named.
  expect(report.bypassSessions.some((session) => session.user === 'root')).toBe(true);
  expect(writer.committed()).toBeGreaterThan(before);
  expect(await readOnly()).toBe(1);
  // The writer is refused from now on, so both sides stay still: compare them whole.
  const refused = writer.refused();
  await waitUntil('the writer to be refused by the read-only source', () => writer.refused() > refused);
  expect(await checksumTables(targetDb, 'shop', TABLES)).toEqual(await checksumTables(sourceDb, 'shop', TABLES));

  // A privileged write after the cutover is reported by the follower, not applied.
  await sourceDb.query("INSERT INTO shop.pairs VALUES ('zz', 'late', 1.00)");
  const error = await waitForLine(follower, (line) => line.type === 'error' && line.phase === 'follow', 'the follower reporting the late write');
  expect(String(error.message)).toMatch(/written after the cutover position/);
  expect((await targetDb.query("SELECT COUNT(*) AS n FROM shop.pairs WHERE region = 'zz'"))[0]).toEqual([{ n: 0 }]);
  follower.child.kill('SIGINT');
  const stopped = await follower.done;
  expect(stopped.code).toBe(1);
  // A second cutover is refused: there is nothing left to cut over.
  const again = await runMigrate(cutoverArgs());
  expect(again.code).toBe(2);
});
