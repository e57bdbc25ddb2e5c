import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import mysql from 'mysql2/promise';
import { createTestPlatform, organizer, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn } from '../support/http-client.ts';
import { startMariadbServer, type MariadbServer } from '../support/mariadb-server.ts';
import { waitUntil } from '../support/wait.ts';
import { insertBuyers, logInAll, type Buyer } from '../faults/support/buyers.ts';
import { checkLedger } from '../faults/support/ledger.ts';
import type { Sale } from '../faults/support/spike.ts';
import { createAppUser, spawnLive, startBinlogSource, waitForLine, type MigrateProcess } from './helpers/follow-fixtures.ts';
import { jsonLines, runMigrate } from './helpers/run-migrate.ts';

let source: MariadbServer;
let target: MariadbServer;
let platform: TestPlatform;
let follower: MigrateProcess | undefined;

beforeAll(async () => {
  [source, target] = await Promise.all([startBinlogSource(51), startMariadbServer()]);
  const admin = await mysql.createConnection(source.url);
  await admin.query('CREATE DATABASE tickets');
  await admin.end();
}, 120_000);

afterAll(async () => {
  follower?.child.kill('SIGKILL');
  await platform?.stop();
  await Promise.all([source?.stop(), target?.stop()]);
});

/** Buyers holding and buying seats over HTTP until told to stop; every 201 is a sale the ledger must keep. */
function startSelling(buyers: Buyer[], apiUrl: () => string, eventId: number, seatIds: number[]) {
  const sales: Sale[] = [];
  let failures = 0;
  let selling = true;
  const thinkTime = () => new Promise((resolve) => setTimeout(resolve, 40)); // a buyer's pace, not a test wait
  const loops = buyers.map(async (buyer, index) => {
    let cursor = index * 37;
    while (selling) {
      const seats = [seatIds[cursor++ % seatIds.length]!, seatIds[cursor++ % seatIds.length]!];
      const hold = await buyer.send(apiUrl(), 'POST', `/api/events/${eventId}/holds`, { json: { seatIds: seats } });
      if (hold.status === 201) {
        const holdId = hold.body.hold.id as string;
        const idempotencyKey = randomUUID();
        for (let attempts = 1; attempts <= 3; attempts += 1) {
          const answer = await buyer.send(apiUrl(), 'POST', `/api/holds/${holdId}/purchase`, { headers: { 'Idempotency-Key': idempotencyKey } });
          if (answer.status === 201) {
            const order = answer.body.order as { id: number; tickets: { seatId: number }[] };
            sales.push({ userId: buyer.userId, holdId, idempotencyKey, orderId: order.id, seatIds: order.tickets.map((ticket) => ticket.seatId), attempts });
            break;
          }
          failures += 1;
          if (answer.status < 500 && answer.status !== 0) break;
        }
      } else if (hold.status >= 500 || hold.status === 0) {
        failures += 1;
      }
      await thinkTime();
    }
  });
  return {
    sales,
    failures: () => failures,
    async stop() {
      selling = false;
      await Promise.all(loops);
    },
  };
}

test('the monolith keeps selling while it is copied, followed and cut over; every purchase answered 201 is on the target exactly once, and the API on the target serves those buyers', async () => {
  // The monolith: the kit's API on the SOURCE server, through an unprivileged application account.
  const appUrl = await createAppUser(source, 'tickets', 'ticket_app');
  platform = await createTestPlatform({ DATABASE_URL: appUrl, MAX_SEATS_PER_USER: '10000' });
  const onSource = await platform.startInstance();
  const organizerClient = new HttpClient(onSource.url);
  await logIn(organizerClient, organizer.email, organizer.password);
  const { eventId, seatIds } = await createEvent(organizerClient, [
    { name: 'Floor', rows: 20, seatsPerRow: 30, priceCents: 5_000 },
    { name: 'Balcony', rows: 20, seatsPerRow: 30, priceCents: 3_000 },
  ]);
  const buyers = await insertBuyers(appUrl, 16);
  await logInAll(buyers, onSource.url);
  let apiUrl = onSource.url;
  const shop = startSelling(buyers, () => apiUrl, eventId, seatIds);
  await waitUntil('the first sales', () => shop.sales.length >= 10);

  // Copy, verify and follow while buyers keep buying.
  follower = await spawnLive(['db', '--source', `${source.url}/tickets`, '--target', `${target.url}/tickets`, '--follow', '--json', '--chunk-rows', '200']);
  const copied = await waitForLine(follower, (line) => line.type === 'report', 'the copy report');
  expect((copied.tables as { verdict: string }[]).every((table) => table.verdict === 'match')).toBe(true);
  const salesAtCopy = shop.sales.length;
  await waitForLine(follower, (line) => line.type === 'progress' && line.phase === 'follow' && Number(line.applied) > 20, 'the follower applying purchases');
  await waitUntil('sales during the catch-up', () => shop.sales.length >= salesAtCopy + 20);

  // Cut over under load, then repoint the buyers at an API on the target.
  const cutover = await runMigrate(['cutover', '--source', `${source.url}/tickets`, '--target', `${target.url}/tickets`, '--json']);
  expect(cutover.stderr).toBe('');
  expect(cutover.code).toBe(0);
  const report = jsonLines(cutover.stdout)[0] as { downtimeSeconds: number; repoint: { DATABASE_URL: string } };
  expect(report.downtimeSeconds).toBeLessThan(10);
  const onTarget = await platform.startInstance({ DATABASE_URL: report.repoint.DATABASE_URL });
  apiUrl = onTarget.url;
  const salesAtCutover = shop.sales.length;
  await waitUntil('sales through the API on the target', () => shop.sales.length >= salesAtCutover + 5);
  await shop.stop();
  follower.child.kill('SIGINT');
  expect((await follower.done).code).toBe(0);

  const ledger = await checkLedger(`${target.url}/tickets`, eventId, shop.sales);
  expect(ledger).toEqual(expect.objectContaining({ salesWithoutOrder: 0, ordersTwice: 0, seatsSoldTwice: 0 }));
  expect(ledger.orders).toBe(new Set(shop.sales.map((sale) => sale.orderId)).size);
  expect(shop.sales.length).toBeGreaterThan(salesAtCutover);

  // Buyers who bought on the monolith see those orders through the API on the target.
  const boughtBefore = shop.sales.slice(0, salesAtCutover);
  for (const buyer of buyers.slice(0, 4)) {
    const listed = await buyer.send(onTarget.url, 'GET', '/api/orders');
    expect(listed.status).toBe(200);
    const ids = new Set((listed.body.orders as { id: number }[]).map((order) => order.id));
    for (const sale of boughtBefore.filter((item) => item.userId === buyer.userId)) expect(ids.has(sale.orderId), `order ${sale.orderId}`).toBe(true);
  }
  // The source, read-only since the cutover, still equals the target minus what was sold on the target since.
  const sourceDb = await mysql.createConnection(source.url);
  const [[sourceOrders]] = (await sourceDb.query('SELECT COUNT(*) AS n FROM tickets.orders')) as unknown as [{ n: number }[]];
  await sourceDb.end();
  expect(Number(sourceOrders!.n)).toBe(new Set(boughtBefore.map((sale) => sale.orderId)).size);
}, 300_000);
