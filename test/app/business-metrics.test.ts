import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BusinessMetrics, metricNames } from '../../app/metrics/business-metrics.ts';
import type { EmfRecord } from '../../app/metrics/emf-record.ts';
import { startApiProcess } from '../faults/support/api-process.ts';
import { createTestPlatform, organizer, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { waitUntil } from '../support/wait.ts';

/** Checks a record the way CloudWatch Logs reads EMF: every declared metric a number, every dimension a string member. */
function expectValidEmf(record: EmfRecord, namespace: string): void {
  expect(typeof record._aws.Timestamp).toBe('number');
  for (const directive of record._aws.CloudWatchMetrics) {
    expect(directive.Namespace).toBe(namespace);
    for (const dimension of directive.Dimensions.flat()) expect(typeof record[dimension]).toBe('string');
    for (const metric of directive.Metrics) {
      expect(metric.Unit).toBe('Count');
      expect(typeof record[metric.Name]).toBe('number');
    }
  }
}

/** The EMF records among JSON log lines. */
const emfRecordsOf = (lines: string[]): EmfRecord[] =>
  lines.filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfRecord);

/** The sum of a metric over records, optionally only those with a dimension value. */
function sumOf(records: EmfRecord[], name: string, dimension?: [string, string]): number {
  return records
    .filter((record) => record._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === name)))
    .filter((record) => (dimension ? record[dimension[0]] === dimension[1] : record._aws.CloudWatchMetrics[0]!.Dimensions[0]!.length === 0))
    .reduce((sum, record) => sum + (record[name] as number), 0);
}

describe('business metrics as CloudWatch Embedded Metric Format', () => {
  it('writes totals (zeros included) and breakdowns as valid EMF records, then starts again', () => {
    const metrics = new BusinessMetrics('Ticketkit/test');
    metrics.count('HoldsGranted');
    metrics.count('HoldsGranted');
    metrics.count('HoldsRefused', 1, { Reason: 'seats_unavailable' });
    metrics.count('DependencyUnavailable', 1, { Dependency: 'redis' });
    const records = metrics.drain(1_700_000_000_000);
    for (const record of records) expectValidEmf(record, 'Ticketkit/test');
    expect(records[0]!._aws.CloudWatchMetrics[0]!.Metrics.map((m) => m.Name)).toEqual([...metricNames]);
    expect(sumOf(records, 'HoldsGranted')).toBe(2);
    expect(sumOf(records, 'PurchasesCommitted')).toBe(0);
    expect(sumOf(records, 'HoldsRefused', ['Reason', 'seats_unavailable'])).toBe(1);
    expect(sumOf(records, 'DependencyUnavailable', ['Dependency', 'redis'])).toBe(1);
    const next = metrics.drain();
    expect(next).toHaveLength(1);
    expect(sumOf(next, 'HoldsGranted')).toBe(0);
  });
});

describe('the API counts holds and purchases', () => {
  let platform: TestPlatform;
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _encoding, done) => done(void lines.push(...String(chunk).trim().split('\n'))) }));

  beforeAll(async () => {
    platform = await createTestPlatform({ LOG_LEVEL: 'info', METRICS_NAMESPACE: 'Ticketkit/test', METRICS_FLUSH_SECONDS: '1' });
  });
  afterAll(() => platform.stop());

  it('logs HoldsGranted, HoldsRefused, PurchasesCommitted and SeatsSold within a flush, and the rest at shutdown', async () => {
    const api = await platform.startInstance({}, { logger });
    const admin = new HttpClient(api.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin);
    const [first, second] = [(await newBuyer(api.url)).client, (await newBuyer(api.url)).client];
    const hold = await first.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(0, 2) });
    expect(hold.status).toBe(201);
    expect((await second.post(`/api/events/${eventId}/holds`, { seatIds: seatIds.slice(1, 3) })).status).toBe(409);
    const purchase = await first.request('POST', `/api/holds/${hold.body.hold.id}/purchase`, { headers: { 'Idempotency-Key': randomUUID() } });
    expect(purchase.status).toBe(201);

    // The periodic flush (every second here, every 60 s by default) writes them without a shutdown.
    await waitUntil('the purchase in a metrics record', () => sumOf(emfRecordsOf(lines), 'PurchasesCommitted') === 1);
    // A hold counted after the last flush is written at shutdown.
    expect((await second.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[5]!] })).status).toBe(201);
    await api.api.stop();
    const records = emfRecordsOf(lines);
    for (const record of records) expectValidEmf(record, 'Ticketkit/test');
    expect(sumOf(records, 'HoldsGranted')).toBe(2);
    expect(sumOf(records, 'HoldsRefused')).toBe(1);
    expect(sumOf(records, 'HoldsRefused', ['Reason', 'seats_unavailable'])).toBe(1);
    expect(sumOf(records, 'PurchasesCommitted')).toBe(1);
    expect(sumOf(records, 'SeatsSold')).toBe(2);
    expect(sumOf(records, 'LedgerRefusedSales')).toBe(0);
    // Creating the event's seat map in Redis the first time is a load from the ledger.
    expect(sumOf(records, 'InventoryRebuilds')).toBeGreaterThanOrEqual(1);
  });

  it('counts a sale the ledger refused because Redis was wrong', async () => {
    const api = await platform.startInstance({}, { logger });
    const admin = new HttpClient(api.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin);
    const buyer = (await newBuyer(api.url)).client;
    const sold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[0]!] });
    expect((await buyer.request('POST', `/api/holds/${sold.body.hold.id}/purchase`, { headers: { 'Idempotency-Key': randomUUID() } })).status).toBe(201);
    // Redis loses the sold mark (as a failover that dropped recent writes would) but keeps "loaded".
    await api.deps.redis.hdel(`${platform.keyPrefix}{e${eventId}}:seats`, String(seatIds[0]));
    const other = (await newBuyer(api.url)).client;
    const again = await other.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[0]!] });
    expect(again.status).toBe(201);
    const refused = await other.request('POST', `/api/holds/${again.body.hold.id}/purchase`, { headers: { 'Idempotency-Key': randomUUID() } });
    expect(refused.body.error.code).toBe('seats_unavailable');
    lines.length = 0;
    await api.api.stop();
    const records = emfRecordsOf(lines);
    expect(sumOf(records, 'LedgerRefusedSales')).toBe(1);
    expect(sumOf(records, 'PurchaseFailures', ['Reason', 'ledger_refused'])).toBe(1);
  });
});

describe('bin/api at SIGTERM', () => {
  let platform: TestPlatform;
  let directory: string;

  beforeAll(async () => {
    platform = await createTestPlatform();
    directory = await mkdtemp(join(tmpdir(), 'ticketkit-metrics-'));
  });
  afterAll(async () => {
    await platform.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('writes what it counted to stdout before it exits, at LOG_LEVEL=info in production', async () => {
    const logFile = join(directory, 'api.log');
    const env = { ...platform.env, NODE_ENV: 'production', LOG_LEVEL: 'info', METRICS_FLUSH_SECONDS: '60' };
    const api = await startApiProcess(env, { logFile });
    const admin = new HttpClient(api.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin);
    const buyer = (await newBuyer(api.url)).client;
    const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[0]!] });
    expect((await buyer.request('POST', `/api/holds/${hold.body.hold.id}/purchase`, { headers: { 'Idempotency-Key': randomUUID() } })).status).toBe(201);
    expect(await api.kill('SIGTERM')).toBe(0);
    const records = emfRecordsOf((await readFile(logFile, 'utf8')).trim().split('\n'));
    expect(sumOf(records, 'HoldsGranted')).toBe(1);
    expect(sumOf(records, 'PurchasesCommitted')).toBe(1);
  });
});
