import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import { runSpike } from './support/spike.ts';

let onsale: OnsalePlatform;

beforeAll(async () => {
  onsale = await startOnsale({
    instances: 2,
    buyers: 50,
    sections: [{ name: 'Front', rows: 3, seatsPerRow: 20, priceCents: 9_000 }],
    env: { HOLD_TTL_SECONDS: '1' },
  });
});
afterAll(() => onsale?.stop());

describe('holds expiring under load', () => {
  it('resells the seats of abandoned holds, refuses the late purchase with 410, and sells no seat twice', async () => {
    const urls = onsale.processes.map((process) => process.url);
    const spike = await runSpike({
      buyers: onsale.buyers,
      eventId: onsale.eventId,
      seatIds: onsale.seatIds,
      instances: () => urls,
      deadline: Date.now() + 30_000,
      abandonShare: 0.4,
    });

    const abandoned = spike.holds.filter((hold) => hold.abandoned);
    expect(abandoned.length).toBeGreaterThan(0);
    // A seat left in an abandoned hold, bought later by someone else.
    const resold = abandoned.filter((hold) =>
      spike.sales.some((sale) => sale.userId !== hold.userId && sale.seatIds.some((id) => hold.seatIds.includes(id))));
    expect(resold.length).toBeGreaterThan(0);

    // The buyer who walked away comes back too late.
    const late = abandoned[0]!;
    const buyer = onsale.buyers.find((candidate) => candidate.userId === late.userId)!;
    const answer = await buyer.send(urls[0]!, 'POST', `/api/holds/${late.holdId}/purchase`, { headers: { 'Idempotency-Key': 'too-late' } });
    expect([answer.status, answer.code]).toEqual([410, 'hold_expired']);

    expect(spike.answers.filter((a) => a.status >= 500 || a.status === 0)).toEqual([]);
    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, spike.sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.orders).toBe(spike.sales.length);
  });
});
