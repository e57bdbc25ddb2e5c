import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { waitUntil } from '../support/wait.ts';
import {
  checksumTables, seedShop, spawnLive, startBinlogSource, startWriter, tableAsHex, waitForCatchUp, waitForLine,
} from './helpers/follow-fixtures.ts';

const TABLES = ['items', 'pairs', 'tokens'];
let source: MariadbServer;
let target: MariadbServer;
let sourceDb: mysql.Connection;
let targetDb: mysql.Connection;

beforeAll(async () => {
  [source, target] = await Promise.all([startBinlogSource(21), startMariadbServer()]);
  sourceDb = await mysql.createConnection({ uri: source.url, multipleStatements: true });
  await sourceDb.query('CREATE DATABASE shop');
  await seedShop(`${source.url}/shop`, 400);
  targetDb = await mysql.createConnection({ uri: target.url, multipleStatements: true });
}, 180_000);

afterAll(async () => {
  await Promise.all([sourceDb?.end(), targetDb?.end()]);
  await Promise.all([source?.stop(), target?.stop()]);
});

async function expectIdentical(): Promise<void> {
  await targetDb.query("SET SESSION time_zone = '+00:00'");
  await sourceDb.query("SET SESSION time_zone = '+00:00'");
  for (const table of TABLES) expect(await tableAsHex(targetDb, 'shop', table), table).toEqual(await tableAsHex(sourceDb, 'shop', table));
  expect(await checksumTables(targetDb, 'shop', TABLES)).toEqual(await checksumTables(sourceDb, 'shop', TABLES));
}

const args = () => ['db', '--source', `${source.url}/shop`, '--target', `${target.url}/shop`, '--chunk-rows', '50', '--parallel', '2', '--follow', '--json'];

test('changes made during the copy and after it arrive exactly; kill -9 during catch-up, then --resume --follow loses and duplicates nothing', async () => {
  // The shop keeps writing from before the copy starts until well into the catch-up.
  const writer = startWriter(`${source.url}/shop`, 7);
  const first = await spawnLive(args());
  try {
    const progress = await waitForLine(first, (line) => line.type === 'progress' && line.phase === 'follow', 'the follow phase');
    expect(progress).toEqual(expect.objectContaining({ lagSeconds: expect.any(Number), eventsBehind: expect.any(Number), eventsPerSecond: expect.any(Number) }));
    const report = (await waitForLine(first, (line) => line.type === 'report', 'the copy report')) as { tables: { verdict: string }[] };
    expect(report.tables.every((table) => table.verdict === 'match')).toBe(true);
    const before = writer.committed();
    await waitForLine(first, (line) => line.type === 'progress' && line.phase === 'follow' && Number(line.applied) > 0, 'changes applied by the follower');
    expect(writer.committed()).toBeGreaterThan(before);
  } finally {
    await writer.stop();
  }
  await waitForCatchUp(sourceDb, targetDb, 'shop');
  await expectIdentical();

  // kill -9 while a burst is being applied, write more, then resume.
  const burst = startWriter(`${source.url}/shop`, 8);
  await waitForLine(first, (line) => line.type === 'progress' && line.phase === 'follow' && Number(line.eventsPerSecond) > 0 && Number(line.applied) > 50, 'the burst being applied');
  first.child.kill('SIGKILL');
  expect((await first.done).signal).toBe('SIGKILL');
  const [[checkpoint]] = (await targetDb.query("SELECT applied_changes AS n FROM _ticketkit_migrate.follow_state WHERE target_schema = 'shop'")) as unknown as [{ n: number }[]];
  expect(Number(checkpoint!.n)).toBeGreaterThan(0);
  // The shop keeps selling while nothing follows.
  const atKill = burst.committed();
  await waitUntil('more sales while no follower runs', () => burst.committed() >= atKill + 20);
  await burst.stop();

  const resumed = await spawnLive([...args(), '--resume']);
  await waitForLine(resumed, (line) => line.type === 'progress' && line.phase === 'follow', 'the resumed follow');
  // The copy is not repeated: the first JSON line of a resumed follow is the follower's.
  expect(resumed.stdout()).not.toContain('"phase":"copy"');
  await waitForCatchUp(sourceDb, targetDb, 'shop');
  await expectIdentical();

  // Ctrl-C stops at a batch boundary, checkpointed, exit 0, with a report.
  resumed.child.kill('SIGINT');
  const stopped = await resumed.done;
  expect(stopped.stderr).toBe('');
  expect(stopped.code).toBe(0);
  expect(stopped.stdout).toMatch(/"type":"report","command":"db","phase":"follow"/);
});

test('DDL in the binlog stops the follower with the statement and position; after the engineer applies it, --resume --follow goes on', async () => {
  const follower = await spawnLive([...args(), '--resume']);
  await waitForLine(follower, (line) => line.type === 'progress' && line.phase === 'follow', 'the follow phase');
  await sourceDb.query("INSERT INTO shop.pairs VALUES ('ap', 'x', 1.00)");
  await sourceDb.query('ALTER TABLE shop.pairs ADD COLUMN note VARCHAR(20) NULL');
  await sourceDb.query("INSERT INTO shop.pairs VALUES ('ap', 'y', 2.00, 'after the DDL')");
  const stopped = await follower.done;
  expect(stopped.code).toBe(1);
  const errors = stopped.stderr.split('\n').filter(Boolean);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^error: DDL in the source binlog at .*-bin\.\d+:\d+.*: ALTER TABLE shop\.pairs ADD COLUMN note VARCHAR\(20\) NULL \(apply it to the target, then run again with --resume --follow\)$/);
  // The row before the DDL was applied; the one after it was not.
  expect((await targetDb.query("SELECT COUNT(*) AS n FROM shop.pairs WHERE region = 'ap'"))[0]).toEqual([{ n: 1 }]);

  // Not applied yet: refused with the pending statement named.
  const refused = await spawnLive([...args(), '--resume']);
  const refusal = await refused.done;
  expect(refusal.code).toBe(1);
  expect(refusal.stderr).toMatch(/schemas differ: pairs has different columns.*not applied to the target yet: ALTER TABLE shop\.pairs/);

  await targetDb.query('ALTER TABLE shop.pairs ADD COLUMN note VARCHAR(20) NULL');
  const again = await spawnLive([...args(), '--resume']);
  await waitForCatchUp(sourceDb, targetDb, 'shop');
  await expectIdentical();
  again.child.kill('SIGINT');
  expect((await again.done).code).toBe(0);
});
