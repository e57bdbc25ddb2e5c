import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { generateLegacyDataset } from '../../migrate/fixtures/legacy-dataset.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { waitUntil } from '../support/wait.ts';
import { jsonLines, runMigrate, spawnMigrate } from './helpers/run-migrate.ts';

let server: MariadbServer;
let source: TestDatabase;

beforeAll(async () => {
  [server, source] = await Promise.all([startMariadbServer(), createTestDatabase('tk_mig_resume')]);
  await generateLegacyDataset({ url: source.url, scale: 3 });
}, 120_000);

afterAll(async () => {
  await Promise.all([server?.stop(), source?.drop()]);
});

async function copiedChunks(admin: mysql.Connection): Promise<number> {
  try {
    const [rows] = await admin.query("SELECT COUNT(*) AS n FROM _ticketkit_migrate.copy_chunks WHERE target_schema = 'legacy'");
    return Number((rows as { n: number }[])[0]!.n);
  } catch {
    return 0; // state schema not created yet
  }
}

test('after kill -9 mid-copy, --resume finishes with no row lost or duplicated', async () => {
  const target = `${server.url}/legacy`;
  const args = ['db', '--source', source.url, '--target', target, '--chunk-rows', '100', '--parallel', '2', '--json'];
  const first = spawnMigrate(args);
  const admin = await mysql.createConnection(server.url);
  try {
    // Wait for real progress (committed chunks), then kill the one Node process without warning.
    while ((await copiedChunks(admin)) < 20 && first.child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 10));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const checkpointed = await copiedChunks(admin);
    expect(checkpointed).toBeGreaterThanOrEqual(20);

    // Without --resume the half-copied target is refused.
    const refused = await spawnMigrate(args).done;
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/already have rows.*--resume/);

    const resumed = await spawnMigrate([...args, '--resume']).done;
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    const report = jsonLines(resumed.stdout).find((line) => line.type === 'report') as {
      tables: { name: string; action: string; verdict: string }[];
      verification: { table: string; sourceRows: number; targetRows: number }[];
    };
    expect(report.tables.every((table) => table.verdict === 'match')).toBe(true);
    expect(report.tables.some((table) => table.action === 'continue')).toBe(true);
    for (const table of report.verification) expect(table.targetRows, table.table).toBe(table.sourceRows);
    // Chunks copied before the kill were not copied again (each chunk has one checkpoint row).
    const [plans] = await admin.query("SELECT SUM(JSON_LENGTH(chunk_plan)) AS planned FROM _ticketkit_migrate.copy_tables WHERE target_schema = 'legacy'");
    expect(await copiedChunks(admin)).toBe(Number((plans as { planned: number }[])[0]!.planned));
    const [[fk]] = (await admin.query(
      "SELECT COUNT(*) AS n FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'legacy'",
    )) as unknown as [{ n: number }[]];
    expect(Number(fk!.n)).toBe(5);
  } finally {
    await admin.end();
  }
});

test('--resume started at once after kill -9 ends the sessions the killed run left busy on the target, and finishes identical', async () => {
  const target = `${server.url}/legacy_busy`;
  const args = ['db', '--source', source.url, '--target', target, '--chunk-rows', '100', '--parallel', '2', '--json'];
  const admin = await mysql.createConnection(server.url);
  const locker = await mysql.createConnection(server.url);
  try {
    const first = spawnMigrate(args);
    // Every table is created and planned before the first chunk; events, the smallest, is copied last.
    await waitUntil('every table planned', async () => (await plannedTables(admin, 'legacy_busy')) === 5 || first.child.exitCode !== null);
    // The test holds one row of events, so a chunk writer of the run waits for it inside the server,
    // mid-copy: a session that outlives its client (InnoDB's lock wait does not watch the socket),
    // as a LOAD DATA or an ALTER does after kill -9.
    await locker.query('START TRANSACTION');
    await locker.query("INSERT INTO legacy_busy.events (id, name, venue, starts_at, on_sale_at) VALUES (15, 'held', 'by the test', '2020-01-01', '2020-01-01')");
    let busy: number | undefined;
    await waitUntil(
      'a chunk writer waiting for the held row',
      async () => {
        const [rows] = await admin.query(
          "SELECT p.ID AS id FROM information_schema.PROCESSLIST p JOIN information_schema.INNODB_TRX t ON t.trx_mysql_thread_id = p.ID WHERE t.trx_state = 'LOCK WAIT' AND p.INFO LIKE 'LOAD DATA%events%'",
        );
        busy = (rows as { id: number }[])[0]?.id;
        return busy !== undefined || first.child.exitCode !== null;
      },
      30_000,
      250,
    );
    expect(busy).toBeDefined();
    first.child.kill('SIGKILL');
    expect((await first.done).signal).toBe('SIGKILL');
    expect(await sessionExists(admin, busy!)).toBe(true);

    const resumed = spawnMigrate([...args, '--resume']);
    // The resumed run must end the killed run's session (it would wait out innodb_lock_wait_timeout
    // otherwise, holding its rows) before it reads the checkpoints; then the test lets go of the row.
    await waitUntil('the killed run\'s session ended', async () => !(await sessionExists(admin, busy!)) || resumed.child.exitCode !== null);
    await locker.query('ROLLBACK');
    const result = await resumed.done;
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = jsonLines(result.stdout).find((line) => line.type === 'report') as {
      tables: { name: string; verdict: string }[];
      leftoverSessions: { found: number; killed: number };
    };
    expect(report.tables.every((table) => table.verdict === 'match')).toBe(true);
    expect(report.leftoverSessions.found).toBeGreaterThanOrEqual(1);
    expect(report.leftoverSessions.killed).toBeGreaterThanOrEqual(1);

    // Nothing lost or doubled: one checkpoint per planned chunk, and the tool's own verify and the
    // server's CHECKSUM TABLE both find the two sides identical.
    const [[chunks]] = (await admin.query(
      "SELECT (SELECT COUNT(*) FROM _ticketkit_migrate.copy_chunks WHERE target_schema = 'legacy_busy') AS copied, (SELECT SUM(JSON_LENGTH(chunk_plan)) FROM _ticketkit_migrate.copy_tables WHERE target_schema = 'legacy_busy') AS planned",
    )) as unknown as [{ copied: number; planned: string }[]];
    expect(Number(chunks!.copied)).toBe(Number(chunks!.planned));
    const verify = await runMigrate(['verify', '--source', source.url, '--target', target]);
    expect(verify.code).toBe(0);
    const tables = ['users', 'events', 'seats', 'orders', 'tickets'];
    const sourceConnection = await mysql.createConnection(source.url);
    try {
      const [sums] = await sourceConnection.query(`CHECKSUM TABLE ${tables.join(', ')}`);
      const [copied] = await admin.query(`CHECKSUM TABLE ${tables.map((table) => `legacy_busy.${table}`).join(', ')}`);
      expect((copied as { Checksum: number }[]).map((row) => row.Checksum)).toEqual((sums as { Checksum: number }[]).map((row) => row.Checksum));
    } finally {
      await sourceConnection.end();
    }
  } finally {
    await locker.end();
    await admin.end();
  }
});

async function plannedTables(admin: mysql.Connection, schema: string): Promise<number> {
  try {
    const [rows] = await admin.query('SELECT COUNT(*) AS n FROM _ticketkit_migrate.copy_tables WHERE target_schema = ?', [schema]);
    return Number((rows as { n: number }[])[0]!.n);
  } catch {
    return 0; // state schema not created yet
  }
}

async function sessionExists(admin: mysql.Connection, id: number): Promise<boolean> {
  const [rows] = await admin.query('SELECT 1 FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
  return (rows as unknown[]).length > 0;
}
