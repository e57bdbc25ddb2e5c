import { randomUUID } from 'node:crypto';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServerUrl } from '../support/database.ts';
import type { Answer, Buyer } from './support/buyers.ts';
import { checkLedger } from './support/ledger.ts';
import { startOnsale, type OnsalePlatform } from './support/onsale-platform.ts';
import type { Sale } from './support/spike.ts';

let onsale: OnsalePlatform;

beforeAll(async () => {
  onsale = await startOnsale({
    instances: 1,
    buyers: 48,
    sections: [{ name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 9_000 }],
  });
});
afterAll(() => onsale?.stop());

/**
 * Kills every connection the instance has open to the test database, over and over, until `done()`:
 * what a failover, a proxy restart or a DBA's KILL does to a busy pool. Returns how many it killed.
 */
async function killConnectionsUntil(databaseName: string, done: () => boolean): Promise<number> {
  // Connected without a default database, so the killer is never among its own victims.
  const killer = await mysql.createConnection(testServerUrl);
  let killed = 0;
  try {
    while (!done()) {
      const [rows] = await killer.query<RowDataPacket[]>(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
        [databaseName],
      );
      for (const { id } of rows) {
        await killer.query('KILL CONNECTION ?', [id]).then(() => killed++, () => undefined); // it may be gone already
      }
    }
  } finally {
    await killer.end();
  }
  return killed;
}

describe('MySQL connections killed mid-purchase', () => {
  it('each purchase commits or fails cleanly with 503, and a retry with the same key yields exactly one order', async () => {
    const api = onsale.processes[0]!.url;
    const holds = await Promise.all(onsale.buyers.map(async (buyer, i) => {
      const seatIds = onsale.seatIds.slice(2 * i, 2 * i + 2);
      const answer = await buyer.send(api, 'POST', `/api/events/${onsale.eventId}/holds`, { json: { seatIds } });
      expect(answer.status).toBe(201);
      return { buyer, holdId: answer.body.hold.id as string, seatIds, key: randomUUID() };
    }));
    const purchase = (hold: { buyer: Buyer; holdId: string; key: string }): Promise<Answer> =>
      hold.buyer.send(api, 'POST', `/api/holds/${hold.holdId}/purchase`, { headers: { 'Idempotency-Key': hold.key } });

    let answered = 0;
    const firstAnswers = Promise.all(holds.map((hold) => purchase(hold).finally(() => answered++)));
    const killed = await killConnectionsUntil(onsale.platform.database.name, () => answered === holds.length);
    const first = await firstAnswers;

    expect(killed).toBeGreaterThan(0);
    // Committed, or refused cleanly: never a 500, never a hang.
    const unclean = first.filter((answer) => !(answer.status === 201 || (answer.status === 503 && answer.code === 'service_unavailable')));
    expect(unclean.map(({ status, code, body, error }) => ({ status, code, body, error }))).toEqual([]);
    expect(first.some((answer) => answer.status === 503)).toBe(true);

    // Retry every purchase with its key once the database is left alone: one order each, the same one if it had committed.
    const retries = await Promise.all(holds.map((hold) => purchase(hold)));
    expect(retries.map((answer) => answer.status)).toEqual(holds.map(() => 201));
    first.forEach((answer, i) => {
      if (answer.status === 201) expect(retries[i]!.body.order.id).toBe(answer.body.order.id);
    });
    const sales: Sale[] = holds.map((hold, i) => ({
      userId: hold.buyer.userId,
      holdId: hold.holdId,
      idempotencyKey: hold.key,
      orderId: retries[i]!.body.order.id,
      seatIds: hold.seatIds,
      attempts: 2,
    }));
    const ledger = await checkLedger(onsale.platform.database.url, onsale.eventId, sales);
    expect(ledger).toEqual({ seatsSold: holds.length * 2, seatsSoldTwice: 0, salesWithoutOrder: 0, ordersTwice: 0, orders: holds.length });
  });
});
