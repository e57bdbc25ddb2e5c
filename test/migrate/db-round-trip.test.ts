import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { jsonLines, runMigrate } from './helpers/run-migrate.ts';

let server: MariadbServer;
let source: TestDatabase;
let sourceConnection: mysql.Connection;

const TYPES_TABLE = `CREATE TABLE all_types (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  amount DECIMAL(20,6) NULL,
  big BIGINT UNSIGNED NULL,
  small TINYINT NULL,
  ratio FLOAT NULL,
  precise DOUBLE NULL,
  flags BIT(10) NULL,
  happened DATETIME(6) NULL,
  stamped TIMESTAMP(6) NULL DEFAULT NULL,
  day DATE NULL,
  payload BLOB NULL,
  fixed BINARY(4) NULL,
  doc JSON NULL,
  note VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NULL,
  latin VARCHAR(50) CHARACTER SET latin1 NULL,
  mood ENUM('happy','sad') NULL,
  tags SET('a','b','c') NULL,
  note_length INT AS (CHAR_LENGTH(note)) VIRTUAL,
  amount_twice DECIMAL(21,6) AS (amount * 2) STORED,
  KEY ix_note (note(20))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci AUTO_INCREMENT=1000`;

const ALL_BYTES = `UNHEX('${Buffer.from(Array.from({ length: 256 }, (_, i) => i)).toString('hex')}')`;

async function rowsAsHex(connection: mysql.Connection, database: string, table: string, order: string): Promise<unknown[]> {
  const [columns] = await connection.query('SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', [database, table]);
  const select = (columns as { name: string }[]).map(({ name }) => `HEX(\`${name}\`) AS \`${name}\``).join(', ');
  const [rows] = await connection.query(`SELECT ${select} FROM \`${database}\`.\`${table}\` ORDER BY ${order}`);
  return rows as unknown[];
}

beforeAll(async () => {
  [server, source] = await Promise.all([startMariadbServer(), createTestDatabase('tk_mig_src')]);
  sourceConnection = await mysql.createConnection({ uri: source.url, multipleStatements: true });
  // Zero dates and id 0 are only storable under a permissive sql_mode, as on old monolith servers.
  await sourceConnection.query("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO', time_zone = '+05:30'");
  await sourceConnection.query(TYPES_TABLE);
  await sourceConnection.query(`INSERT INTO all_types (id, amount, big, small, ratio, precise, flags, happened, stamped, day, payload, fixed, doc, note, latin, mood, tags) VALUES
    (0, 0.000001, 0, -128, 1.2345678, 0.1, b'0000000000', '0000-00-00 00:00:00', '1970-01-01 05:30:01.000001', '0000-00-00', '', X'00000000', '{}', '', 'Ã©', 'happy', ''),
    (1, 12345678901234.567890, 18446744073709551615, 127, 3.4028234e38, 1.7976931348623157e308, b'1111111111', '2024-02-29 23:59:59.999999', '2038-01-19 08:44:07.999999', '9999-12-31', ${ALL_BYTES}, X'DEADBEEF', '{"emoji": "🎟️", "n": [1, 2.5, null], "nested": {"k": "v"}}', 'tab\\there\\nnewline \\\\ backslash 🎉 emoji', 'café', 'sad', 'a,c'),
    (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (3, -99999999999999.999999, 42, 0, -1.5e-30, 5e-324, b'0101010101', '1000-01-01 00:00:00.5', '2021-03-28 02:30:00', '2000-01-01', CONCAT('\\\\N', CHAR(0), '\\t'), X'0A0D5C09', '[]', '\\\\N', NULL, NULL, 'b')`);
  await sourceConnection.query(`
    CREATE TABLE no_key (label VARCHAR(20) NULL, value INT NULL) ENGINE=InnoDB;
    INSERT INTO no_key VALUES ('same', 1), ('same', 1), (NULL, NULL), ('other', 2);
    CREATE TABLE composite (region VARCHAR(10) NOT NULL, code VARCHAR(10) NOT NULL, total DECIMAL(10,2) NOT NULL, PRIMARY KEY (region, code)) ENGINE=InnoDB;
    INSERT INTO composite VALUES ('eu', 'a', 1.10), ('eu', 'B', 2.20), ('us', 'a', 3.30);
    CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, type_id INT NOT NULL, FOREIGN KEY fk_audit_type (type_id) REFERENCES all_types (id)) ENGINE=InnoDB;
    INSERT INTO audit (type_id) VALUES (1), (3);
    CREATE VIEW positive_amounts AS SELECT id, amount FROM all_types WHERE amount > 0;
    CREATE VIEW positive_count AS SELECT COUNT(*) AS n FROM positive_amounts;
    CREATE TRIGGER audit_insert AFTER INSERT ON composite FOR EACH ROW INSERT INTO audit (type_id) VALUES (1);
    CREATE FUNCTION double_it (x INT) RETURNS INT DETERMINISTIC RETURN x * 2;
    CREATE PROCEDURE count_types (OUT n INT) BEGIN SELECT COUNT(*) INTO n FROM all_types; END;
    CREATE DEFINER = 'nobody_here'@'%' VIEW orphan_definer AS SELECT 1 AS one;
  `);
}, 120_000);

afterAll(async () => {
  await sourceConnection?.end();
  await Promise.all([server?.stop(), source?.drop()]);
});

describe('bin/migrate db into a second MariaDB server', () => {
  const targetUrl = () => `${server.url}/copied`;

  test('copies every type bit for bit, recreates objects, and verifies', async () => {
    const result = await runMigrate(['db', '--source', source.url, '--target', targetUrl(), '--chunk-rows', '2', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).find((line) => line.type === 'report') as Record<string, unknown> & {
      tables: { name: string; verdict: string; rows: number }[];
      objects: { kind: string; name: string; status: string; reason?: string }[];
      snapshot: { binlogEnabled: boolean; note?: string };
    };
    expect(report.tables.map((table) => [table.name, table.verdict]).sort()).toEqual(
      [['all_types', 'match'], ['audit', 'match'], ['composite', 'match'], ['no_key', 'match']].sort(),
    );
    // The checksums the copy computed from the bytes it sent match the target's own, chunk by chunk.
    const verification = report.verification as { table: string; chunks: number; recheckedChunks: number }[];
    expect(verification.find((table) => table.table === 'all_types')?.chunks).toBeGreaterThan(1);
    expect(verification.every((table) => table.recheckedChunks === 0)).toBe(true);
    expect(report.snapshot.binlogEnabled).toBe(false);
    expect(report.snapshot.note).toContain('binary logging is off');
    expect(jsonLines(result.stdout).some((line) => line.type === 'progress')).toBe(true);

    const target = await mysql.createConnection(`${server.url}/copied`);
    // Same session zone on both sides, so TIMESTAMP text compares like for like.
    await target.query("SET SESSION time_zone = '+05:30'");
    try {
      for (const [table, order] of [['all_types', 'id'], ['no_key', 'label, value'], ['composite', 'region, code'], ['audit', 'id']] as const) {
        expect(await rowsAsHex(target, 'copied', table, order), table).toEqual(await rowsAsHex(sourceConnection, source.name, table, order));
      }
      // The session time zone must not shift TIMESTAMP values: compare the instants.
      const instants = 'SELECT id, UNIX_TIMESTAMP(stamped) AS t FROM all_types ORDER BY id';
      expect((await target.query(instants))[0]).toEqual((await sourceConnection.query(instants))[0]);
      const [[created]] = (await target.query('SHOW CREATE TABLE all_types')) as unknown as [Record<string, string>[]];
      expect(created!['Create Table']).toContain('AUTO_INCREMENT=1000');
      expect(created!['Create Table']).toContain('KEY `ix_note` (`note`(20))');
      expect(created!['Create Table']).toMatch(/`note_length` int\(11\) GENERATED ALWAYS AS/);
      const [[schema]] = (await target.query("SELECT DEFAULT_CHARACTER_SET_NAME AS cs, DEFAULT_COLLATION_NAME AS co FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'copied'")) as unknown as [Record<string, string>[]];
      expect(schema).toEqual({ cs: 'utf8mb4', co: 'utf8mb4_unicode_ci' });
      const [[fk]] = (await target.query("SELECT COUNT(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'copied' AND TABLE_NAME = 'audit'")) as unknown as [Record<string, number>[]];
      expect(fk!.n).toBe(1);

      // Objects were created after the data and work on the target.
      expect((await target.query('SELECT n FROM positive_count'))[0]).toEqual([{ n: 2 }]);
      expect((await target.query('SELECT double_it(21) AS v'))[0]).toEqual([{ v: 42 }]);
      await target.query('CALL count_types(@n)');
      expect((await target.query('SELECT @n AS n'))[0]).toEqual([{ n: 4 }]);
      await target.query("INSERT INTO composite VALUES ('ap', 'z', 9.99)");
      expect((await target.query('SELECT COUNT(*) AS n FROM audit'))[0]).toEqual([{ n: 3 }]);
      // The trigger did not fire during the copy: audit held 2 rows before the insert above.
      const orphan = report.objects.find((object) => object.name === 'orphan_definer');
      expect(orphan?.reason ?? '').toMatch(/definer|nobody_here/i);
      // Checkpoints live in their own schema, never inside the migrated one.
      const [tables] = await target.query("SELECT TABLE_SCHEMA AS s, TABLE_NAME AS t FROM information_schema.TABLES WHERE TABLE_NAME LIKE 'copy\\_%'");
      expect((tables as { s: string }[]).every((row) => row.s === '_ticketkit_migrate')).toBe(true);
    } finally {
      await target.end();
    }
  });

  test('refuses to write into target tables that already have rows, naming them', async () => {
    const result = await runMigrate(['db', '--source', source.url, '--target', targetUrl()]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/already have rows: .*all_types.*--resume.*--overwrite/);
  });

  test('--dry-run writes nothing and --overwrite recopies', async () => {
    const dry = await runMigrate(['db', '--source', source.url, '--target', `${server.url}/dry_only`, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('dry run');
    const admin = await mysql.createConnection(server.url);
    try {
      const [schemas] = await admin.query("SHOW DATABASES LIKE 'dry_only'");
      expect(schemas).toEqual([]);
      const again = await runMigrate(['db', '--source', source.url, '--target', targetUrl(), '--overwrite', '--tables', 'composite,no_key']);
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/verified: 2 tables/);
    } finally {
      await admin.end();
    }
  });

  test('a view that cannot be created is reported by name with the reason', async () => {
    // positive_amounts needs all_types, which is excluded and absent from this new target.
    const result = await runMigrate(['db', '--source', source.url, '--target', `${server.url}/partial`, '--exclude', 'all_types,audit']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/NOT CREATED view positive_amounts: .*all_types/);
    expect(result.stdout).toMatch(/NOT CREATED view positive_count: /);
  });

  test('a target that refuses LOAD DATA LOCAL INFILE is one clear line, exit 2', async () => {
    const admin = await mysql.createConnection(server.url);
    try {
      await admin.query('SET GLOBAL local_infile = 0');
      const result = await runMigrate(['db', '--source', source.url, '--target', `${server.url}/no_infile`, '--tables', 'composite']);
      expect(result.code).toBe(2);
      expect(result.stderr.split('\n').filter((line) => line.startsWith('error:'))).toEqual([
        'error: the target refuses LOAD DATA LOCAL INFILE: set local_infile=1 (on RDS: in the DB parameter group)',
      ]);
    } finally {
      await admin.query('SET GLOBAL local_infile = 1');
      await admin.end();
    }
  });
});
