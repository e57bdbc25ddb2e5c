import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { checkPreconditions } from '../../migrate/operations/db/preconditions.ts';
import { leaseName } from '../../migrate/state/run-lease.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { jsonLines, runMigrate } from './helpers/run-migrate.ts';

// Source and target databases on one throwaway server, so the test may create users and grants.
let server: MariadbServer;
let admin: mysql.Connection;
const url = (user: string, database: string) => server.url.replace('root@', `${user}@`) + `/${database}`;

beforeAll(async () => {
  server = await startMariadbServer();
  admin = await mysql.createConnection({ uri: server.url, multipleStatements: true });
  await admin.query(`CREATE DATABASE src;
    CREATE TABLE src.keyed (id INT NOT NULL PRIMARY KEY, label VARCHAR(20) NOT NULL) ENGINE=InnoDB;
    CREATE TABLE src.unique_only (code VARCHAR(10) NOT NULL, label VARCHAR(20) NULL, UNIQUE KEY uq_code (code)) ENGINE=InnoDB;
    CREATE TABLE src.nullable_unique (code VARCHAR(10) NULL, UNIQUE KEY uq_code (code)) ENGINE=InnoDB;
    CREATE TABLE src.no_key (label VARCHAR(20) NULL) ENGINE=InnoDB;
    INSERT INTO src.keyed VALUES (1, 'a'), (2, 'b');
    INSERT INTO src.unique_only VALUES ('x', NULL);
    INSERT INTO src.nullable_unique VALUES (NULL), ('y');
    INSERT INTO src.no_key VALUES ('same'), ('same');
    CREATE USER narrow@'%' IDENTIFIED BY 'pw';
    GRANT SELECT ON src.keyed TO narrow@'%';
    GRANT SELECT (code) ON src.unique_only TO narrow@'%';
    GRANT SELECT, INSERT ON dst_narrow.* TO narrow@'%';`);
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

describe('preconditions, checked before anything is copied', () => {
  test('a table without a primary key or NOT NULL unique key is named: a warning for a copy, an error when a catch-up follows', async () => {
    const result = await runMigrate(['db', '--source', url('root', 'src'), '--target', url('root', 'dst'), '--json']);
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).find((line) => line.type === 'report') as { warnings: string[]; tables: { verdict: string }[] };
    expect(report.warnings).toEqual([expect.stringMatching(/^2 tables have no primary key and no unique key over NOT NULL columns: (no_key, nullable_unique|nullable_unique, no_key);/)]);
    expect(report.tables.every((table) => table.verdict === 'match')).toBe(true);

    const text = await runMigrate(['db', '--source', url('root', 'src'), '--target', url('root', 'dst_text'), '--tables', 'no_key']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^warning: 1 table has no primary key and no unique key over NOT NULL columns: no_key; a later catch-up \(--follow\)/m);

    // What the catch-up's preflight calls: the same check, stopping the run.
    const source = await mysql.createConnection(`${server.url}/src`);
    try {
      const follow = await checkPreconditions({
        source, target: source, sourceDatabase: 'src', targetDatabase: 'dst_follow', stateSchema: '_ticketkit_migrate',
        tables: ['keyed', 'unique_only', 'nullable_unique', 'no_key'], follow: true,
      });
      expect(follow.warnings).toEqual([]);
      expect(follow.errors).toEqual([expect.stringMatching(/: (no_key, nullable_unique|nullable_unique, no_key); a catch-up cannot apply updates or deletes to them/)]);
    } finally {
      await source.end();
    }
  });

  test('missing privileges on either side are named in one line, exit 2, and nothing is written', async () => {
    const result = await runMigrate(['db', '--source', url('narrow:pw', 'src'), '--target', url('narrow:pw', 'dst_narrow'), '--tables', 'keyed,unique_only']);
    expect(result.code).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      'error: source user narrow@% lacks SELECT on src.unique_only; target user narrow@% lacks CREATE, ALTER, INDEX on database dst_narrow; ' +
        'target user narrow@% lacks CREATE, INSERT, UPDATE, DELETE, SELECT on database _ticketkit_migrate (the checkpoints; another with --state-schema)',
    );
    const [schemas] = await admin.query("SHOW DATABASES LIKE 'dst\\_narrow'");
    expect(schemas).toEqual([]);
  });

  test('a second run into the same target while the first holds it stops with one line, exit 2', async () => {
    const holder = await mysql.createConnection(server.url);
    try {
      // What a live run holds for its whole duration (on a session that does nothing else).
      await holder.query('SELECT GET_LOCK(?, 0)', [leaseName('dst_busy')]);
      const result = await runMigrate(['db', '--source', url('root', 'src'), '--target', url('root', 'dst_busy'), '--tables', 'keyed']);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/^error: another bin\/migrate run is writing into dst_busy on .* \(its lease is held by connection \d+\): wait for it to finish or stop it\n$/);
    } finally {
      await holder.end();
    }
  });
});
