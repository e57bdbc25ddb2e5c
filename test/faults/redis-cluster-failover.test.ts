import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRedisCluster } from '../support/redis-cluster.ts';
import { waitUntil } from '../support/wait.ts';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import { runSpike, type Recorded } from './support/spike.ts';

let cluster: LocalRedisCluster;
let onsale: OnsalePlatform;

beforeAll(async () => {
  // Three masters with a replica each; a master unreachable for 1 s is failed over by the cluster itself.
  cluster = await LocalRedisCluster.start({ masters: 3, replicas: 1, nodeTimeoutMs: 1_000 });
  onsale = await startOnsale({
    instances: 2,
    buyers: 60,
    sections: [{ name: 'Front', rows: 4, seatsPerRow: 50, priceCents: 9_000 }],
    env: { REDIS_URL: cluster.url, REDIS_MODE: 'cluster' },
  });
});
afterAll(async () => {
  await onsale?.stop();
  await cluster?.close();
});

describe('the master of the event’s slot killed mid-rush on a Redis Cluster', () => {
  it('answers 503 only until its replica is promoted, then holds and sells on, with nothing sold twice and every 201 in the ledger', async () => {
    const urls = onsale.processes.map((process) => process.url);
    const slot = await cluster.keySlot(`{e${onsale.eventId}}`);
    const killed = await cluster.masterOf(slot);
    const fault: { killedAt?: number; promotedAt?: number; promotedTo?: number } = {};
    let run: Promise<void> | undefined;

    const killMaster = async () => {
      fault.killedAt = Date.now();
      await cluster.kill(killed);
      // No CLUSTER FAILOVER: the replicas notice the silent master and elect one of them.
      await waitUntil('a replica promoted to serve the event’s slot', async () => (await cluster.masterOf(slot).catch(() => killed)) !== killed, 20_000);
      fault.promotedAt = Date.now();
      fault.promotedTo = await cluster.masterOf(slot);
    };

    const spike = await runSpike({
      buyers: onsale.buyers,
      eventId: onsale.eventId,
      seatIds: onsale.seatIds,
      instances: () => urls,
      deadline: Date.now() + 40_000,
      onAnswer: (answer) => {
        if (!run && answer.step === 'purchase' && answer.status === 201) run = killMaster();
      },
    });
    await run;
    expect(fault.promotedTo).not.toBe(killed);
    const { killedAt, promotedAt } = fault as Required<typeof fault>;

    // Nothing but clean answers: no 500, no dropped connection, and every 503 says the service is unavailable.
    const answeredAt = (answer: Recorded) => answer.sentAt + answer.ms;
    expect(spike.answers.filter((answer) => answer.status >= 500 && answer.status !== 503 || answer.status === 0)).toEqual([]);
    const unavailable = spike.answers.filter((answer) => answer.status === 503);
    expect(unavailable.filter((answer) => answer.code !== 'service_unavailable')).toEqual([]);
    // 503s (there may be none when the client's retries span the ~2 s election) come only while no master
    // served the slot: none answered before the kill, and once each instance
    // has served a request of the event sent after the promotion, no request sent later is refused.
    expect(unavailable.filter((answer) => answeredAt(answer) < killedAt)).toEqual([]);
    const servedAgainAt = Math.max(...urls.map((url) => Math.min(...spike.answers
      .filter((answer) => answer.url.startsWith(url) && answer.sentAt >= promotedAt && answer.status < 500)
      .map(answeredAt))));
    expect(Number.isFinite(servedAgainAt), 'both instances served the event again after the promotion').toBe(true);
    expect(unavailable.filter((answer) => answer.sentAt >= servedAgainAt).map(({ step, sentAt, ms, url }) => ({ step, sentAt, ms, url }))).toEqual([]);

    // Holds and sales went on after the promotion.
    expect(spike.holds.filter((hold) => hold.grantedAt >= promotedAt).length).toBeGreaterThan(0);
    expect(spike.answers.filter((answer) => answer.step === 'purchase' && answer.status === 201 && answer.sentAt >= promotedAt).length).toBeGreaterThan(0);

    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, spike.sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.seatsSold).toBeGreaterThan(0);
  });
});
