import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HoldBatches, maxHoldsPerBatch, type HoldRequest, type RunHoldScript } from '../../app/infra/redis/hold-batches.ts';
import { SeatStore } from '../../app/infra/redis/seat-store.ts';
import { redisKeys, deleteRedisKeys } from '../support/redis-mode.ts';

// The hold script itself, on the shared Redis, with a key prefix of this file's own.
const prefix = `tk_batches_${randomBytes(4).toString('hex')}:`;
const retainMs = 3_600_000;
let redis: Redis;
let nextEventId = 1;

beforeAll(() => {
  redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
  // Defines the hold script (and the others) on the client.
  new SeatStore(redis, prefix);
});
afterAll(async () => {
  await deleteRedisKeys(redis, await redisKeys(redis, `${prefix}*`));
  redis.disconnect();
});

/** An event whose inventory is loaded (nothing sold yet). */
async function loadedEvent(): Promise<number> {
  const eventId = nextEventId++;
  await new SeatStore(redis, prefix).loadSoldSeats(eventId, [], new Map());
  return eventId;
}

/** Runs the real hold script and counts how many times it was sent. */
function countingRun(): { run: RunHoldScript; scripts: () => number } {
  let scripts = 0;
  const run: RunHoldScript = (keys, args) => {
    scripts++;
    return (redis as unknown as { holdSeats(...a: (string | number)[]): Promise<never> }).holdSeats(keys.length, ...keys, ...args);
  };
  return { run, scripts: () => scripts };
}

let holdCount = 0;
function request(eventId: number, userId: number, seatIds: number[], extra: Partial<HoldRequest> = {}): HoldRequest {
  return { eventId, holdId: `${eventId}-hold${holdCount++}`, userId, seatIds, ttlMs: 60_000, maxSeatsPerUser: 4, ...extra };
}

/** The part of a reply that does not depend on the clock: the outcome and, for `taken` and `limit`, its detail. */
function outcome(reply: unknown[]): unknown[] {
  return reply[0] === 'ok' ? ['ok'] : reply.slice(0, 2);
}

describe('hold batches', () => {
  it('decides the holds of one event-loop turn in one script, each exactly as if it had been sent alone, in order', async () => {
    // Overlapping seats, one buyer over the limit across two requests, and a request for a free seat last.
    const wants = [
      { userId: 1, seatIds: [1, 2] },
      { userId: 2, seatIds: [2, 3] },
      { userId: 3, seatIds: [3, 4] },
      { userId: 4, seatIds: [5, 6, 7] },
      { userId: 4, seatIds: [8, 9] },
      { userId: 5, seatIds: [1, 10] },
      { userId: 6, seatIds: [11] },
    ];
    const batchedEvent = await loadedEvent();
    const { run, scripts } = countingRun();
    const batches = new HoldBatches(prefix, retainMs, run);
    const batched = await Promise.all(wants.map((want) => batches.hold(request(batchedEvent, want.userId, want.seatIds))));
    expect(scripts()).toBe(1);

    const aloneEvent = await loadedEvent();
    const alone: unknown[][] = [];
    for (const want of wants) alone.push(await new HoldBatches(prefix, retainMs, countingRun().run).hold(request(aloneEvent, want.userId, want.seatIds)));

    expect(batched.map(outcome)).toEqual(alone.map(outcome));
    expect(batched.map(outcome)).toEqual([
      ['ok'], ['taken', ['2']], ['ok'], ['ok'], ['limit', 3], ['taken', ['1']], ['ok'],
    ]);
    // Each granted hold wrote its own record under its own key.
    const seats = await redis.hgetall(`${prefix}{e${batchedEvent}}:seats`);
    expect(Object.keys(seats).map(Number).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 11]);
  });

  it(`sends at most ${maxHoldsPerBatch} holds per script, and one script per event`, async () => {
    const [first, second] = [await loadedEvent(), await loadedEvent()];
    const { run, scripts } = countingRun();
    const batches = new HoldBatches(prefix, retainMs, run);
    const replies = await Promise.all([
      ...Array.from({ length: maxHoldsPerBatch + 1 }, (_, i) => batches.hold(request(first, 100 + i, [i + 1]))),
      batches.hold(request(second, 1, [1])),
    ]);
    expect(replies.every((reply) => reply[0] === 'ok')).toBe(true);
    expect(scripts()).toBe(3);
  });

  it('answers not_loaded to every hold of an event Redis has not loaded', async () => {
    const eventId = nextEventId++;
    const batches = new HoldBatches(prefix, retainMs, countingRun().run);
    const replies = await Promise.all([batches.hold(request(eventId, 1, [1])), batches.hold(request(eventId, 2, [2, 3]))]);
    expect(replies).toEqual([['not_loaded'], ['not_loaded']]);
  });

  it('fails every hold of a batch whose script failed, and the next batch is sent on its own', async () => {
    const eventId = await loadedEvent();
    let fail = true;
    const { run } = countingRun();
    const batches = new HoldBatches(prefix, retainMs, (keys, args) => (fail ? Promise.reject(new Error('Connection is closed.')) : run(keys, args)));
    const failed = await Promise.allSettled([batches.hold(request(eventId, 1, [1])), batches.hold(request(eventId, 2, [2]))]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(outcome(await batches.hold(request(eventId, 1, [1])))).toEqual(['ok']);
  });
});
