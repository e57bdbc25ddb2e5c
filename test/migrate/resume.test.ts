import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { generateLegacyDataset } from '../../migrate/fixtures/legacy-dataset.ts';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { jsonLines, spawnMigrate } from './helpers/run-migrate.ts';

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
