import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.ts';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import { OrderBlocker } from './support/order-blocker.ts';
import { runSpike, type Sale } from './support/spike.ts';

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
    // One buyer outside the spike whose purchase is provably in flight on the doomed instance when it dies.
    const [victim, ...crowd] = onsale.buyers as [typeof onsale.buyers[0], ...typeof onsale.buyers];
    const victimSeats = onsale.seatIds.slice(-2);
    const held = await victim.send(doomed.url, 'POST', `/api/events/${onsale.eventId}/holds`, { json: { seatIds: victimSeats } });
    expect(held.status).toBe(201);
    const holdId = held.body.hold.id as string;
    const idempotencyKey = 'victim-purchase';
    const purchase = (url: string) =>
      victim.send(url, 'POST', `/api/holds/${holdId}/purchase`, { headers: { 'Idempotency-Key': idempotencyKey }, timeoutMs: 30_000 });

    let killed = false;
    let soldOnDoomed = 0;
    const fault = async () => {
      await waitUntil('the spike to sell on the doomed instance', () => soldOnDoomed > 0);
      const blocker = await OrderBlocker.block(onsale.platform.database.url, { userId: victim.userId, eventId: onsale.eventId, holdId });
      try {
        const cutOff = purchase(doomed.url);
        await blocker.waitUntilSomeoneWaits(); // the victim's INSERT is waiting inside MySQL: mid-purchase
        killed = true;
        const exitCode = await doomed.kill('SIGKILL');
        return { exitCode, cutOff: await cutOff, blocker };
      } catch (error) {
        await blocker.release();
        throw error;
      }
    };

    const spikeDone = runSpike({
      buyers: crowd,
      eventId: onsale.eventId,
      seatIds: onsale.seatIds,
      instances: () => (killed ? [survivor.url] : [doomed.url, survivor.url]),
      deadline: Date.now() + 40_000,
      onAnswer: (answer) => {
        if (answer.step === 'purchase' && answer.status === 201 && answer.url === doomed.url) soldOnDoomed++;
      },
    });
    const { exitCode, cutOff, blocker } = await fault();
    await blocker.release();
    // The client retries on the survivor with the same key: exactly one order, with its seats.
    const retried = await purchase(survivor.url);
    const spike = await spikeDone;

    expect(exitCode).toBeNull(); // it died of the signal
    expect(cutOff).toMatchObject({ status: 0, url: doomed.url });
    expect(cutOff.error).not.toMatch(/timeout/i);
    expect(retried.status).toBe(201);
    const orderSeats = (retried.body.order.tickets as { seatId: number }[]).map((ticket) => ticket.seatId).sort((a, b) => a - b);
    expect(orderSeats).toEqual(victimSeats);
    const victimSale: Sale = { userId: victim.userId, holdId, idempotencyKey, orderId: retried.body.order.id, seatIds: victimSeats, attempts: 2 };
    // A second retry replays the same order.
    const replayed = await purchase(survivor.url);
    expect([replayed.status, replayed.body.order.id]).toEqual([201, victimSale.orderId]);

    expect(spike.answers.filter((answer) => answer.status >= 500 && answer.status !== 503)).toEqual([]);
    const sales = [...spike.sales, victimSale];
    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, sales);
    expect(ledger).toMatchObject({ seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0 });
    expect(ledger.orders).toBe(sales.length);
    // The spike went on without it.
    expect(ledger.seatsSold).toBeGreaterThan(onsale.seatIds.length / 2);
  });
});
