import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { LocalRedisCluster } from '../support/redis-cluster.ts';
import { testRedisMode } from '../support/redis-mode.ts';
import { isReady } from './support/api-process.ts';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import { OwnRedisServer } from './support/redis-server.ts';
import { runSpike, type Recorded } from './support/spike.ts';

/** One Redis, or (the redis-cluster project) a whole cluster, that loses everything when stopped. */
let redis: OwnRedisServer | LocalRedisCluster;
let onsale: OnsalePlatform;

beforeAll(async () => {
  redis = testRedisMode === 'cluster' ? await LocalRedisCluster.start() : await OwnRedisServer.start();
  onsale = await startOnsale({
    instances: 2,
    buyers: 60,
    sections: [{ name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 9_000 }],
    env: { REDIS_URL: redis.url, REDIS_MODE: testRedisMode },
  });
});
afterAll(async () => {
  await onsale?.stop();
  await redis?.close();
});

async function soldSeats(databaseUrl: string, eventId: number): Promise<Set<number>> {
  const db = await mysql.createConnection(databaseUrl);
  try {
    const [rows] = await db.query<RowDataPacket[]>(
      'SELECT t.seat_id AS seatId FROM tickets t JOIN seats s ON s.id = t.seat_id WHERE s.event_id = ?',
      [eventId],
    );
    return new Set(rows.map((row) => Number(row.seatId)));
  } finally {
    await db.end();
  }
}

describe('Redis stopped mid-spike and started again empty', () => {
  it('answers 503 fast while it is gone, then reconnects, rebuilds sold seats from MySQL and sells on with nothing oversold', async () => {
    const urls = onsale.processes.map((process) => process.url);
    const outage: { startedAt?: number; restartAt?: number; endedAt?: number; soldBefore?: Set<number>; answersDuring: Recorded[] } = { answersDuring: [] };
    let run: Promise<void> | undefined;

    const fault = async () => {
      await redis.stop();
      outage.startedAt = Date.now();
      // Let the spike run into the outage: both instances unready and dozens of requests answered meanwhile.
      await waitUntil('both instances to report not ready', async () => !(await isReady(urls[0]!)) && !(await isReady(urls[1]!)));
      await waitUntil('requests answered during the outage', () => outage.answersDuring.length >= 60);
      outage.soldBefore = await soldSeats(onsale.platform.database.url, onsale.eventId);
      outage.restartAt = Date.now();
      await redis.startAgain();
      outage.endedAt = Date.now();
      await waitUntil('both instances to reconnect by themselves', async () => (await isReady(urls[0]!)) && (await isReady(urls[1]!)), 20_000);
    };

    const spike = await runSpike({
      buyers: onsale.buyers,
      eventId: onsale.eventId,
      seatIds: onsale.seatIds,
      instances: () => urls,
      deadline: Date.now() + 45_000,
      onAnswer: (answer) => {
        const answeredAt = answer.sentAt + answer.ms;
        if (outage.startedAt && answer.sentAt >= outage.startedAt && !(answeredAt >= (outage.restartAt ?? Infinity))) outage.answersDuring.push(answer);
        const sold = answer.step === 'purchase' && answer.status === 201;
        if (sold && !run) run = fault();
      },
    });
    await run;
    // During the outage: a clean 503 within 2 s, never a hung request or a 500.
    expect(outage.answersDuring.length).toBeGreaterThanOrEqual(60);
    const unclean = outage.answersDuring.filter((answer) => answer.status !== 503 || answer.code !== 'service_unavailable' || answer.ms >= 2_000);
    expect(unclean.map(({ step, status, code, ms, error }) => ({ step, status, code, ms, error }))).toEqual([]);
    expect(spike.answers.filter((answer) => answer.status === 500 || answer.status === 0)).toEqual([]);

    // After it: no hold granted on a seat the ledger had already sold, and the sale went on.
    const soldBefore = outage.soldBefore!;
    expect(soldBefore.size).toBeGreaterThan(0);
    const regranted = spike.holds.filter((hold) => hold.grantedAt >= outage.endedAt! && hold.seatIds.some((id) => soldBefore.has(id)));
    expect(regranted).toEqual([]);
    const salesAfter = spike.answers.filter((answer) => answer.step === 'purchase' && answer.status === 201 && answer.sentAt >= outage.endedAt!);
    expect(salesAfter.length).toBeGreaterThan(0);

    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, spike.sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.seatsSold).toBeGreaterThan(soldBefore.size);
  });
});
