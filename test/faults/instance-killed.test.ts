import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import { runSpike } from './support/spike.ts';

let onsale: OnsalePlatform;

beforeAll(async () => {
  onsale = await startOnsale({
    instances: 2,
    buyers: 80,
    sections: [{ name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 9_000 }],
  });
});
afterAll(() => onsale?.stop());

describe('an instance killed with SIGKILL mid-spike', () => {
  it('loses no sale: clients retry on the other instance with the same key, no seat sold twice, no order twice', async () => {
    const [doomed, survivor] = onsale.processes as [typeof onsale.processes[0], typeof onsale.processes[0]];
    let killed: Promise<number | null> | undefined;
    let purchasesBeforeKill = 0;
    const spike = await runSpike({
      buyers: onsale.buyers,
      eventId: onsale.eventId,
      seatIds: onsale.seatIds,
      instances: () => (killed ? [survivor.url] : [doomed.url, survivor.url]),
      deadline: Date.now() + 40_000,
      onAnswer: (answer) => {
        // Kill it while purchases are in flight on it: after its tenth committed purchase.
        if (killed || answer.step !== 'purchase' || answer.status !== 201 || answer.url !== doomed.url) return;
        if (++purchasesBeforeKill === 10) killed = doomed.kill('SIGKILL');
      },
    });

    expect(await killed).toBeNull(); // it died of the signal
    // The spike went on without it.
    expect(spike.sales.length - purchasesBeforeKill).toBeGreaterThan(0);
    // Some purchases were cut off by the kill and finished on the survivor with the same key.
    const dropped = spike.answers.filter((answer) => answer.url === doomed.url && answer.status === 0);
    expect(dropped.length).toBeGreaterThan(0);
    expect(spike.answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);

    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, spike.sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.orders).toBe(spike.sales.length);
    expect(ledger.seatsSold).toBeGreaterThan(onsale.seatIds.length / 2);
  });
});
