import { randomBytes, randomUUID } from 'node:crypto';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReplicaHealth } from '../../app/infra/mysql/replica/replica-monitor.ts';
import { apiUserStatements } from '../../shared/mysql-api-user.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { startReplicatedMariadb, type ReplicatedMariadb } from '../support/replicated-mariadb.ts';
import { waitUntil } from '../support/wait.ts';

const apiUser = { user: 'ticketkit_api', password: randomBytes(12).toString('hex') };

let servers: ReplicatedMariadb;
let platform: TestPlatform;
/** Tolerates up to 60 s of lag. */
let tolerant: TestInstance;
/** Tolerates 1 s of lag. */
let strict: TestInstance;
let organizerClient: HttpClient;

const statusOf = (instance: TestInstance): ReplicaHealth['status'] | undefined => instance.deps.reads.replicaHealth?.status;
const untilStatus = (instance: TestInstance, status: ReplicaHealth['status']) =>
  waitUntil(`the replica to be ${status}`, () => statusOf(instance) === status, 20_000);

beforeAll(async () => {
  servers = await startReplicatedMariadb();
  platform = await createTestPlatform({}, { databaseServerUrl: servers.primary.url });
  const primary = await mysql.createConnection(servers.primary.url);
  try {
    // The API's least-privilege user, created on the primary and replicated like everything else.
    const statements = apiUserStatements({ ...apiUser, auth: { password: apiUser.password }, database: platform.database.name, flavor: 'mariadb', requireTls: false });
    for (const statement of statements) await primary.query(statement);
  } finally {
    await primary.end();
  }
  await servers.caughtUp();
  const url = (port: number) => `mysql://${apiUser.user}:${apiUser.password}@127.0.0.1:${port}/${platform.database.name}`;
  const env = { DATABASE_URL: url(servers.primary.port), DATABASE_READ_URL: url(servers.replica.port), DATABASE_READ_WAIT_MS: '200' };
  tolerant = await platform.startInstance({ ...env, DATABASE_READ_MAX_LAG_SECONDS: '60' });
  strict = await platform.startInstance({ ...env, DATABASE_READ_MAX_LAG_SECONDS: '1' });
  organizerClient = new HttpClient(tolerant.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  await servers.caughtUp();
  await Promise.all([untilStatus(tolerant, 'healthy'), untilStatus(strict, 'healthy')]);
});
afterAll(async () => {
  await platform?.stop();
  await servers?.stop();
});

const eventNames = async (client: HttpClient) => {
  const answer = await client.get('/api/events');
  expect(answer.status).toBe(200);
  return (answer.body.events as { name: string }[]).map((event) => event.name);
};

describe('reads that tolerate lag, on a read replica', () => {
  it('serves the catalogue from the replica (a row only the replica has shows)', async () => {
    await servers.caughtUp();
    await servers.onReplica(
      `INSERT INTO \`${platform.database.name}\`.events (id, name, venue, starts_at, on_sale_at) VALUES (900001, 'Only on the replica', 'Nowhere', NOW() + INTERVAL 1 DAY, NOW())`,
    );
    try {
      const visitor = new HttpClient(tolerant.url);
      const before = { ...tolerant.deps.reads.counts };
      expect(await eventNames(visitor)).toContain('Only on the replica');
      expect((await visitor.get('/api/events/900001')).status).toBe(200);
      expect(tolerant.deps.reads.counts.replica).toBeGreaterThan(before.replica);
    } finally {
      await servers.onReplica(`DELETE FROM \`${platform.database.name}\`.events WHERE id = 900001`);
    }
  });

  it('shows a buyer their purchase and an organizer their event at once while the replica lags 30 s; others read the replica, and beyond the lag bound the primary', async ({ annotate }) => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    await servers.caughtUp();
    await servers.delay(30);
    try {
      const { client: buyer } = await newBuyer(tolerant.url, 'ryw');
      const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
      const purchase = await buyer.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': randomUUID() });
      expect(purchase.status).toBe(201);
      const orderId = purchase.body.order.id as number;

      // Right after the purchase, on either instance: the order is there (the replica had not applied it).
      for (const instance of [tolerant, strict]) {
        buyer.baseUrl = instance.url;
        const orders = await buyer.get('/api/orders');
        expect(orders.status).toBe(200);
        expect(orders.body.orders.map((order: { id: number }) => order.id)).toContain(orderId);
        expect((await buyer.get(`/api/orders/${orderId}`)).status).toBe(200);
      }
      const [{ onReplica }] = await servers.onReplica(`SELECT COUNT(*) AS onReplica FROM \`${platform.database.name}\`.orders WHERE id = ?`, [orderId]);
      expect(Number(onReplica), 'the replica lags behind the purchase').toBe(0);
      expect(tolerant.deps.reads.counts.fellBack).toBeGreaterThan(0);

      // The organizer's new event: they see it at once; a visitor of the tolerant instance reads the lagging
      // replica (not there yet), the strict instance finds the replica beyond its bound and reads the primary.
      const created = await organizerClient.post('/api/admin/events', {
        name: 'Added while the replica lags', venue: 'Hall', startsAt: new Date(Date.now() + 86_400_000).toISOString(),
        onSaleAt: new Date().toISOString(), sections: [{ name: 'A', rows: 1, seatsPerRow: 5, priceCents: 1_000 }],
      });
      expect(created.status).toBe(201);
      expect(await eventNames(organizerClient)).toContain('Added while the replica lags');
      expect(await eventNames(new HttpClient(tolerant.url))).not.toContain('Added while the replica lags');
      await untilStatus(strict, 'lagging');
      expect(await eventNames(new HttpClient(strict.url))).toContain('Added while the replica lags');
      // A visitor who follows a link to the new event is not told it does not exist.
      expect((await new HttpClient(tolerant.url).get(`/api/events/${created.body.event.id}`)).status).toBe(200);
      const health = strict.deps.reads.replicaHealth as { lagSeconds?: number };
      await annotate(`replica lag seen by the strict instance: ${health.lagSeconds} s; tolerant instance reads: ${JSON.stringify(tolerant.deps.reads.counts)}`);
    } finally {
      await servers.delay(0);
      await servers.caughtUp(60);
    }
    await untilStatus(strict, 'healthy');
  });

  it('reads the primary while replication is stopped, and the replica again once it runs', async () => {
    await servers.onReplica('STOP SLAVE SQL_THREAD');
    try {
      await untilStatus(tolerant, 'stopped');
      await createEvent(organizerClient, [{ name: 'B', rows: 1, seatsPerRow: 3, priceCents: 500 }]);
      const renamed = `Stopped replica ${randomBytes(3).toString('hex')}`;
      const primary = await mysql.createConnection(`${servers.primary.url}/${platform.database.name}`);
      await primary.query('UPDATE events SET name = ? ORDER BY id DESC LIMIT 1', [renamed]);
      await primary.end();
      const before = tolerant.deps.reads.counts.primary;
      expect(await eventNames(new HttpClient(tolerant.url))).toContain(renamed);
      expect(tolerant.deps.reads.counts.primary).toBeGreaterThan(before);
    } finally {
      await servers.onReplica('START SLAVE SQL_THREAD');
    }
    await untilStatus(tolerant, 'healthy');
  });

  it('answers from the primary when the replica is killed, with no 5xx whether or not the monitor has noticed yet', async ({ annotate }) => {
    const { client: buyer } = await newBuyer(tolerant.url, 'survivor');
    await servers.caughtUp();
    await untilStatus(tolerant, 'healthy');
    const before = { ...tolerant.deps.reads.counts };
    await servers.killReplica();
    const answers = await Promise.all([
      ...Array.from({ length: 10 }, () => new HttpClient(tolerant.url).get('/api/events')),
      ...Array.from({ length: 10 }, () => buyer.get('/api/orders')),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    await untilStatus(tolerant, 'unreachable');
    expect((await new HttpClient(tolerant.url).get('/api/events')).status).toBe(200);
    expect((await fetch(`${tolerant.url}/readyz`)).status).toBe(200);
    const { counts } = tolerant.deps.reads;
    await annotate(`${answers.length} reads right after the kill, all 200: ${counts.fellBack - before.fellBack} fell back mid-read, ${counts.primary - before.primary} went to the primary`);
  });
});
