import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { parseMysqlUrl } from '../../migrate/mysql/connection-url.ts';
import { openConnectionPair, type ConnectionPair } from '../../migrate/mysql/connection-pair.ts';
import { copyPhase } from '../../migrate/operations/db/copy-phase.ts';
import { copyReport } from '../../migrate/operations/db/copy-report.ts';
import { snapshotPosition, type DatabasePhase, type DbSettings } from '../../migrate/operations/db/db-phase.ts';
import { createDbRun } from '../../migrate/operations/db/db-run.ts';
import { indexesPhase } from '../../migrate/operations/db/indexes-phase.ts';
import { objectsPhase } from '../../migrate/operations/db/objects-phase.ts';
import { preflightPhase } from '../../migrate/operations/db/preflight-phase.ts';
import { runDbPhases } from '../../migrate/operations/db/run-db-phases.ts';
import { snapshotPhase } from '../../migrate/operations/db/snapshot-phase.ts';
import { verifyPhase } from '../../migrate/operations/db/verify-phase.ts';
import { ProgressCounters } from '../../migrate/progress/counters.ts';
import type { PhaseProgress } from '../../migrate/progress/phases.ts';
import { withRetries } from '../../migrate/retry/with-retries.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';

// The phases of `db` run one at a time on connections the test passes in, as a new phase (the
// binlog catch-up) will: each leaves the target in a state the next one builds on.

let server: MariadbServer;
let admin: mysql.Connection;
let connections: ConnectionPair;

beforeAll(async () => {
  server = await startMariadbServer();
  admin = await mysql.createConnection({ uri: server.url, multipleStatements: true });
  await admin.query(`CREATE DATABASE shop;
    CREATE TABLE shop.customers (id INT NOT NULL PRIMARY KEY, email VARCHAR(100) NOT NULL, UNIQUE KEY uq_email (email)) ENGINE=InnoDB;
    CREATE TABLE shop.orders (id INT NOT NULL PRIMARY KEY, customer_id INT NOT NULL, total INT NOT NULL,
      KEY ix_customer (customer_id), CONSTRAINT fk_customer FOREIGN KEY (customer_id) REFERENCES customers (id)) ENGINE=InnoDB;
    INSERT INTO shop.customers SELECT seq, CONCAT('c', seq, '@example.com') FROM shop.seq_1_to_300;
    INSERT INTO shop.orders SELECT seq, 1 + seq % 300, seq * 10 FROM shop.seq_1_to_2000;
    CREATE VIEW shop.big_orders AS SELECT id, total FROM shop.orders WHERE total > 10000;`);
  connections = await openConnectionPair(parseMysqlUrl(`${server.url}/shop`, 'source'), parseMysqlUrl(`${server.url}/shop_copy`, 'target'));
}, 120_000);

afterAll(async () => {
  await connections?.close();
  await admin?.end();
  await server?.stop();
});

/** Progress that nobody renders: the phases only update counters. */
const quietProgress: PhaseProgress = { start: () => new ProgressCounters('rows'), log: () => undefined, end: () => undefined };

const settingsOf = (url: string): DbSettings => ({
  source: parseMysqlUrl(`${url}/shop`, 'source'),
  target: parseMysqlUrl(`${url}/shop_copy`, 'target'),
  sourceDatabase: 'shop',
  targetDatabase: 'shop_copy',
  include: [],
  exclude: [],
  parallel: 2,
  chunkRows: 250,
  resume: false,
  overwrite: false,
  dryRun: false,
  verify: true,
  stateSchema: '_ticketkit_migrate',
});

async function createTable(table: string): Promise<string> {
  const [[row]] = (await admin.query(`SHOW CREATE TABLE shop_copy.${table}`)) as unknown as [Record<string, string>[]];
  return row!['Create Table']!;
}

test('each phase runs on its own over the connections passed in, and a catch-up phase slots in after verify', async () => {
  const run = createDbRun(settingsOf(server.url), { connections, progress: quietProgress });
  try {
    await runDbPhases([preflightPhase, snapshotPhase], run);
    expect(run.preflight!.tables.map((table) => table.name).sort()).toEqual(['customers', 'orders']);
    expect(snapshotPosition(run)).toMatchObject({ binlogEnabled: false, lock: 'flush-tables-with-read-lock' });
    // Nothing has been written yet.
    expect(await admin.query("SHOW DATABASES LIKE 'shop\\_copy'").then(([rows]) => rows)).toEqual([]);

    await runDbPhases([copyPhase], run);
    const [[counts]] = (await admin.query('SELECT (SELECT COUNT(*) FROM shop_copy.customers) AS customers, (SELECT COUNT(*) FROM shop_copy.orders) AS orders')) as unknown as [
      { customers: number; orders: number }[],
    ];
    expect(counts).toEqual({ customers: 300, orders: 2000 });
    // Rows without their secondary indexes and foreign keys: those are the next phase's.
    expect(await createTable('orders')).not.toMatch(/ix_customer|fk_customer/);
    expect([...run.tables!.values()].every((table) => table.remaining === 0 && table.phase === 'loading')).toBe(true);

    await runDbPhases([indexesPhase], run);
    expect(await createTable('orders')).toMatch(/KEY `ix_customer`[\s\S]*CONSTRAINT `fk_customer` FOREIGN KEY/);
    expect(await createTable('customers')).toContain('UNIQUE KEY `uq_email`');

    // A phase of the catch-up's shape: it starts from the snapshot's position and writes through a
    // session of the run (registered, so a later run can end it) under the run's retry policy.
    const seen: { position?: object; role?: string } = {};
    const followPhase: DatabasePhase = {
      name: 'follow',
      async run(current) {
        seen.position = snapshotPosition(current);
        const writer = await current.connections.openWriter('binlog batch');
        await withRetries(() => writer.query("UPDATE shop_copy.orders SET total = total WHERE id = 1"), current.retry);
        const [[row]] = (await current.connections.target.query(
          'SELECT role FROM _ticketkit_migrate.copy_sessions WHERE connection_id = ?',
          [writer.threadId],
        )) as unknown as [{ role: string }[]];
        seen.role = row?.role;
      },
    };
    await runDbPhases([objectsPhase, verifyPhase, followPhase], run);
    expect(run.objects).toEqual([{ kind: 'view', name: 'big_orders', status: 'created' }]);
    expect(run.verification!.map((table) => [table.table, table.verdict, table.targetRows]).sort()).toEqual([
      ['customers', 'match', 300],
      ['orders', 'match', 2000],
    ]);
    expect(seen).toEqual({ position: run.snapshot!.snapshot, role: 'binlog batch' });
    const report = copyReport(run);
    expect(report.tables.map((table) => [table.name, table.rows, table.verdict]).sort()).toEqual([
      ['customers', 300, 'match'],
      ['orders', 2000, 'match'],
    ]);
  } finally {
    await run.close();
  }
});
