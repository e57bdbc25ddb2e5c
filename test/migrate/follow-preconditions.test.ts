import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { createTestDatabase, testServerUrl, uniqueName, type TestDatabase } from '../support/database.ts';
import type { MariadbServer } from '../support/mariadb-server.ts';
import { startBinlogSource } from './helpers/follow-fixtures.ts';
import { runMigrate } from './helpers/run-migrate.ts';

let source: MariadbServer;
let admin: mysql.Connection;
let binlogOff: TestDatabase;
const targetName = uniqueName('tk_follow_pre');
const target = `${testServerUrl}/${targetName}`;

beforeAll(async () => {
  [source, binlogOff] = await Promise.all([startBinlogSource(41), createTestDatabase('tk_follow_off')]);
  admin = await mysql.createConnection({ uri: source.url, multipleStatements: true });
  await admin.query(`CREATE DATABASE good; CREATE TABLE good.t (id INT PRIMARY KEY, v INT);
    CREATE TABLE good.by_unique (code VARCHAR(10) NOT NULL, v INT, UNIQUE KEY uq (code));
    CREATE DATABASE bad; CREATE TABLE bad.ok (id INT PRIMARY KEY);
    CREATE TABLE bad.no_key (a INT, b INT);
    CREATE TABLE bad.nullable_unique (code VARCHAR(10) NULL, UNIQUE KEY uq (code));
    CREATE TABLE bad.child (id INT PRIMARY KEY, ok_id INT, FOREIGN KEY fk_child_ok (ok_id) REFERENCES bad.ok (id) ON DELETE CASCADE);
    CREATE TRIGGER bad.ok_audit AFTER INSERT ON bad.ok FOR EACH ROW SET @n = 1;
    CREATE USER 'reader'@'%' IDENTIFIED BY 'pw'; GRANT SELECT ON good.* TO 'reader'@'%';`);
  const off = await mysql.createConnection(binlogOff.url);
  await off.query('CREATE TABLE t (id INT PRIMARY KEY)');
  await off.end();
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await Promise.all([source?.stop(), binlogOff?.drop()]);
});

async function follow(sourceUrl: string, ...more: string[]) {
  const result = await runMigrate(['db', '--source', sourceUrl, '--target', target, '--follow', ...more]);
  // Refused before anything is copied: the target database was never created.
  const check = await mysql.createConnection(testServerUrl);
  const [schemas] = await check.query('SHOW DATABASES LIKE ?', [targetName]);
  await check.end();
  expect(schemas).toEqual([]);
  expect(result.code).toBe(2);
  const lines = result.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

async function withGlobal(setting: string, restore: string, run: () => Promise<void>): Promise<void> {
  await admin.query(`SET GLOBAL ${setting}`);
  try {
    await run();
  } finally {
    await admin.query(`SET GLOBAL ${restore}`);
  }
}

describe('db --follow refuses before copying, one line naming the fix', () => {
  test('binary logging off', async () => {
    expect(await follow(binlogOff.url)).toMatch(/^error: cannot follow the source's binlog: binary logging is off on the source \(start it with --log-bin --binlog-format=ROW --binlog-row-image=FULL --server-id=N\)$/);
  });

  test('binlog_format not ROW', async () => {
    await withGlobal("binlog_format = 'MIXED'", "binlog_format = 'ROW'", async () => {
      expect(await follow(`${source.url}/good`)).toMatch(/binlog_format is MIXED, the follower needs ROW/);
    });
  });

  test('binlog_row_image not FULL', async () => {
    await withGlobal("binlog_row_image = 'MINIMAL'", "binlog_row_image = 'FULL'", async () => {
      expect(await follow(`${source.url}/good`)).toMatch(/binlog_row_image is MINIMAL, the follower needs FULL/);
    });
  });

  test('binlog retention shorter than the copy and catch-up need', async () => {
    await withGlobal('binlog_expire_logs_seconds = 60', 'binlog_expire_logs_seconds = 0', async () => {
      expect(await follow(`${source.url}/good`)).toMatch(/binlog retention is 60 s \(binlog_expire_logs_seconds\), shorter than the 3600 s the copy \(estimated \d+ s\) and catch-up need; raise it, e\.g\. SET GLOBAL binlog_expire_logs_seconds = 86400$/);
    });
  });

  test('missing REPLICATION SLAVE / CLIENT privileges', async () => {
    const url = source.url.replace('root@', 'reader:pw@');
    expect(await follow(`${url}/good`)).toMatch(/the source account lacks REPLICATION SLAVE, REPLICATION CLIENT \(GRANT REPLICATION SLAVE, REPLICATION CLIENT ON \*\.\* TO <the --source user>\)/);
  });

  test('tables without a primary key or NOT NULL unique key, cascading foreign keys and triggers are named', async () => {
    const line = await follow(`${source.url}/bad`);
    expect(line).toMatch(/tables without a primary key or NOT NULL unique key cannot be followed: (no_key, nullable_unique|nullable_unique, no_key) \(add a key, or leave them out with --exclude\)/);
    expect(line).toMatch(/foreign keys with ON DELETE\/UPDATE actions \(their changes are not in the binlog\): child\.fk_child_ok/);
    expect(line).toMatch(/tables with triggers \(the target would run them again for every applied change\): ok\.ok_audit/);
    expect(line).not.toMatch(/binlog_format|retention|lacks/);
  });

  test('the same source passes once those tables are left out (a NOT NULL unique key is enough)', async () => {
    const result = await runMigrate(['db', '--source', `${source.url}/good`, '--target', target, '--follow', '--dry-run']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  test('cutover without a running follower', async () => {
    const result = await runMigrate(['cutover', '--source', `${source.url}/good`, '--target', target]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: no follower checkpoint for tk_follow_pre_\w+ on the target: start bin\/migrate db \.\.\. --follow first\n$/);
  });
});
