// npm run bench:queue — the waiting room under an on-sale rush, on this machine (bench/queue/README in docs/waiting-room.md).
// 20,000 logged-in buyers (BENCH_QUEUE_BUYERS): half join the pre-queue before the on-sale, half after it; all poll as
// the API advises until admitted, then use the admission (10 % hold a seat and buy it, the rest read the seat map).
// The on-sale is moved to 10 s after the last pre-queue join. The clock is compressed: 12,000 admissions a minute and a 20 s admission TTL make a rush of minutes last ~2.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import mysql, { type RowDataPacket } from 'mysql2/promise';
import { Agent, setGlobalDispatcher } from 'undici';
import { roomKeys } from '../../app/infra/redis/room-store.ts';
import { HttpClient, logIn } from '../../test/support/http-client.ts';
import { benchOrganizer, startBenchPlatform } from '../onsale/platform.ts';
import { table } from '../onsale/report.ts';
import { processCpuSeconds } from '../process-cpu.ts';
import { eachLimited, orderViolations, spearman } from './measures.ts';
import { QueueBuyer, type BuyerOutcome } from './queue-buyer.ts';

const buyerCount = Number(process.env.BENCH_QUEUE_BUYERS ?? 20_000);
const ratePerMinute = Number(process.env.BENCH_QUEUE_RATE ?? 12_000);
const maxActive = Number(process.env.BENCH_QUEUE_MAX_ACTIVE ?? 6_000);
const ttlSeconds = 20;
/** Between the last pre-queue join and the on-sale. */
const preQueueSeconds = Number(process.env.BENCH_QUEUE_PREQUEUE_SECONDS ?? 10);
const microOps = Math.min(2_000, Math.floor(buyerCount / 2));

setGlobalDispatcher(new Agent({ connections: 96, keepAliveTimeout: 30_000 }));
const started = Date.now();
const log = (text: string) => console.error(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${text}`);

log(`starting 2 API instances and logging in ${buyerCount.toLocaleString('en-US')} buyers`);
const platform = await startBenchPlatform({ instances: 2, buyers: buyerCount, env: { LOG_LEVEL: 'warn' } });
const redis = new Redis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const admin = new HttpClient(platform.instances[0]!.url);
await logIn(admin, benchOrganizer.email, benchOrganizer.password);
const apiPids = platform.instances.map((instance) => instance.child.pid!);
const apiCpu = () => apiPids.reduce((sum, pid) => sum + (processCpuSeconds(pid) ?? 0), 0);
const redisNow = async () => {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
};

async function roomEvent(onSaleAt: number, room: { rate: number; maxActive: number; ttl: number } | null, rows = 20): Promise<number> {
  const response = await admin.post('/api/admin/events', {
    name: 'Famous artist', venue: 'Arena', startsAt: new Date(Date.now() + 86_400_000).toISOString(), onSaleAt: new Date(onSaleAt).toISOString(),
    sections: [{ name: 'Floor', rows, seatsPerRow: 100, priceCents: 10_000 }],
    ...(room ? { waitingRoom: { enabled: true, opensAt: new Date(Date.now() - 1_000).toISOString(), admissionRatePerMinute: room.rate, maxActive: room.maxActive, admissionTtlSeconds: room.ttl } } : {}),
  });
  if (response.status !== 201) throw new Error(`create event: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body.event.id as number;
}

const buyers = platform.buyers.map((buyer, i) => new QueueBuyer(i, buyer.userId, buyer.cookie, platform.instances[i % 2]!.url));
const half = Math.floor(buyerCount / 2);
// The on-sale is set once the pre-queue is in (below): on a busy machine the joins take what they take.
let onSaleAt = Date.now() + 3_600_000;
const eventId = await roomEvent(onSaleAt, { rate: ratePerMinute, maxActive, ttl: ttlSeconds }, 5);
const keys = roomKeys(platform.keyPrefix, eventId);
const seatIds: number[] = (await (async () => {
  const db = await mysql.createConnection(platform.database.url);
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM seats WHERE event_id = ? ORDER BY id', [eventId]);
  await db.end();
  return rows.map((row) => Number(row.id));
})());

// Sampling Redis itself: live admissions (peak vs the cap) and places reached over Redis time (the rate). One script,
// so the sample is one instant: with separate reads, a buyer whose hold moved the admission from the unused to the
// used set between two reads was counted twice; and only admissions that have not lapsed count (lapsed ones wait
// in the sets for the room's next advance).
const sampleScript = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local live = redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf') + redis.call('ZCOUNT', KEYS[2], '(' .. now, '+inf')
return {now, live, redis.call('HGET', KEYS[3], 'reached') or '0', redis.call('ZCARD', KEYS[4])}`;
const samples: { at: number; live: number; reached: number; waiting: number }[] = [];
let sampling = true;
const sampler = (async () => {
  while (sampling) {
    const [at, live, reached, queuedNow] = (await redis.eval(sampleScript, 4, keys.unused, keys.used, keys.room, keys.queue)) as [number, number, string, number];
    samples.push({ at, live, reached: Number(reached), waiting: queuedNow - Number(reached) });
    await sleep(250);
  }
})();

/**
 * What an admitted buyer does with the admission: 10 % hold a seat (another if taken) and buy it, the rest read the
 * seat map. Through the second instance: the first cached the event's layout (and its old on-sale time) when it
 * created the event, and the bench moved the on-sale in the ledger, which the API never does.
 */
const inventoryUrl = platform.instances[1]!.url;
let sold = 0;
let holdsRefused = 0;
async function useAdmission(buyer: QueueBuyer): Promise<void> {
  if (buyer.index % 10 !== 0) {
    await buyer.send('GET', `/api/events/${eventId}/seats`, { baseUrl: inventoryUrl });
    return;
  }
  for (let attempt = 0; attempt < 3; attempt++) {
    const seatId = seatIds[Math.floor(Math.random() * seatIds.length)]!;
    const hold = await buyer.send('POST', `/api/events/${eventId}/holds`, { json: { seatIds: [seatId] }, baseUrl: inventoryUrl });
    if (hold.status !== 201) {
      holdsRefused++;
      continue;
    }
    const order = await buyer.send('POST', `/api/holds/${hold.body.hold.id}/purchase`, { headers: { 'idempotency-key': randomUUID() }, baseUrl: inventoryUrl });
    if (order.status === 201) sold++;
    return;
  }
}

const memoryBefore = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
const outcomes: Promise<BuyerOutcome>[] = [];
const follow = (buyer: QueueBuyer, first: Awaited<ReturnType<QueueBuyer['queue']>>, joinedAt: number) =>
  outcomes.push(buyer.waitInQueue(eventId, first, joinedAt).then(async (outcome) => {
    if (outcome.status === 'admitted') await useAdmission(buyer);
    return outcome;
  }));

log(`pre-queue: ${half.toLocaleString('en-US')} buyers join before the on-sale`);
const preJoinOrder: number[] = [];
await eachLimited(buyers.slice(0, half), 48, async (buyer) => {
  preJoinOrder.push(buyer.userId);
  const joinedAt = Date.now();
  follow(buyer, await buyer.queue(eventId, true), joinedAt);
});
// The organizer API cannot move an on-sale; the bench writes the ledger and reloads the room's settings.
onSaleAt = Math.ceil(((await redisNow()) + preQueueSeconds * 1000) / 1000) * 1000;
const ledgerWrite = await mysql.createConnection(platform.database.url);
await ledgerWrite.query('UPDATE events SET on_sale_at = ? WHERE id = ?', [new Date(onSaleAt), eventId]);
await ledgerWrite.end();
const moved = await admin.request('PUT', `/api/admin/events/${eventId}/waiting-room`, {
  json: { enabled: true, opensAt: new Date(Date.now() - 60_000).toISOString(), admissionRatePerMinute: ratePerMinute, maxActive, admissionTtlSeconds: ttlSeconds },
});
if (moved.status !== 200) throw new Error(`moving the on-sale: ${moved.status} ${JSON.stringify(moved.body)}`);
log(`on-sale at ${new Date(onSaleAt).toISOString()}`);
while ((await redisNow()) < onSaleAt) await sleep(50);

log(`on-sale: ${(buyerCount - half).toLocaleString('en-US')} more buyers join one after another, in arrival order`);
const postJoinOrder: number[] = [];
let postJoinsRetried = 0;
await eachLimited(buyers.slice(half), 1, async (buyer) => {
  const joinedAt = Date.now();
  const first = await buyer.queue(eventId, true);
  // A join that failed (timeout, 503) is sent again later, behind later arrivals: not part of the arrival order.
  if (first.status === 200) postJoinOrder.push(buyer.userId);
  else postJoinsRetried++;
  follow(buyer, first, joinedAt);
});
const queueBytes = Number(await redis.call('MEMORY', 'USAGE', keys.queue, 'SAMPLES', '0'));
const queued = await redis.zcard(keys.queue);
const roomBytes = (await Promise.all([keys.room, keys.unused, keys.used].map(async (key) => Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0)))).reduce((a, b) => a + b, 0);
const memoryAfterJoins = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

log('everyone has joined; waiting for every buyer to be admitted');
const results = await Promise.all(outcomes);
sampling = false;
await sampler;

// Places as Redis ordered them: the queue zset keeps every place, reached or not.
const withScores = await redis.zrange(keys.queue, '0', '-1', 'WITHSCORES');
const places = new Map<number, number>();
const preQueuePlace = new Set<number>();
for (let i = 0; i < withScores.length; i += 2) {
  places.set(Number(withScores[i]), i / 2);
  if (Number(withScores[i + 1]) < 2 ** 48) preQueuePlace.add(Number(withScores[i]));
}
const preRanks = preJoinOrder.filter((userId) => preQueuePlace.has(userId)).map((userId) => places.get(userId)!);
const preSorted = [...preRanks].sort((a, b) => a - b);
const placeRankAmongPre = preRanks.map((rank) => preSorted.indexOf(rank));
const rho = spearman(preRanks.map((_, i) => i), placeRankAmongPre);
const fifoViolations = orderViolations(postJoinOrder.map((userId) => places.get(userId)!));

// The rush: every sampling interval after the on-sale that began with a backlog (more buyers waiting than the rate
// admits in one interval), by Redis time: places reached over those intervals / their length.
let rushMs = 0;
let rushReached = 0;
for (let i = 1; i < samples.length; i++) {
  const [before, after] = [samples[i - 1]!, samples[i]!];
  if (before.at < onSaleAt || before.waiting <= (ratePerMinute / 60_000) * (after.at - before.at)) continue;
  rushMs += after.at - before.at;
  rushReached += after.reached - before.reached;
}
const rushSeconds = rushMs / 1000;
const achievedPerMinute = (rushReached / rushMs) * 60_000;
const peakLive = Math.max(...samples.map((sample) => sample.live));

log('CPU per operation: joins, status answers and holds, each alone');
const micro = async (label: string, work: () => Promise<void>, ops: number) => {
  const before = apiCpu();
  const at = performance.now();
  await work();
  return { label, microseconds: ((apiCpu() - before) / ops) * 1e6, perSecond: ops / ((performance.now() - at) / 1000) };
};
const plainEvent = await roomEvent(Date.now() - 1_000, null, 30);
const plainSeats = await seatsOf(plainEvent);
const sample = buyers.slice(0, microOps);
// Warm-up (JIT, connections, the event's inventory loaded), not measured.
await eachLimited(sample.slice(0, 500), 32, async (buyer, i) => void (await buyer.send('POST', `/api/events/${plainEvent}/holds`, { json: { seatIds: [plainSeats[microOps + i]!] } })));
const holdPlain = await micro('hold (no room: the baseline)', () => eachLimited(sample, 32, async (buyer, i) => void (await buyer.send('POST', `/api/events/${plainEvent}/holds`, { json: { seatIds: [plainSeats[i]!] } }))), microOps);
const preEvent = await roomEvent(Date.now() + 3_600_000, { rate: 1, maxActive: 1, ttl: 60 });
const join = await micro('join the queue', () => eachLimited(sample, 32, async (buyer) => void (await buyer.queue(preEvent, true))), microOps);
const status = await micro('status answer (API)', () => eachLimited(sample, 32, async (buyer) => void (await buyer.queue(preEvent, false))), microOps);
const openEvent = await roomEvent(Date.now() - 1_000, { rate: 1_000_000, maxActive: 1_000_000, ttl: 600 }, 30);
const openSeats = await seatsOf(openEvent);
await eachLimited(sample, 32, async (buyer) => void (await buyer.queue(openEvent, true)));
const holdRoom = await micro('hold (room: admission checked in the hold script)', () => eachLimited(sample, 32, async (buyer, i) => void (await buyer.send('POST', `/api/events/${openEvent}/holds`, { json: { seatIds: [openSeats[i]!] } }))), microOps);

async function seatsOf(id: number): Promise<number[]> {
  const db = await mysql.createConnection(platform.database.url);
  const [rows] = await db.query<RowDataPacket[]>('SELECT id FROM seats WHERE event_id = ? ORDER BY id', [id]);
  await db.end();
  return rows.map((row) => Number(row.id));
}

const ledger = await mysql.createConnection(platform.database.url);
const [[twice]] = await ledger.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM (SELECT seat_id FROM tickets GROUP BY seat_id HAVING COUNT(*) > 1) AS doubles');
await ledger.end();

const admitted = results.filter((r) => r.status === 'admitted');
const waits = admitted.map((r) => (r.admittedAt! - Math.max(r.joinedAt, onSaleAt)) / 1000).sort((a, b) => a - b);
const pct = (p: number) => waits[Math.min(waits.length - 1, Math.floor(p * waits.length))]!.toFixed(1);
const polls = results.reduce((sum, r) => sum + r.polls, 0);
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const ratio = (value: number) => `${(value / holdPlain.microseconds).toFixed(2)}×`;

console.log(`\nbench:queue — ${buyerCount.toLocaleString('en-US')} buyers (${half.toLocaleString('en-US')} pre-queue, ${(buyerCount - half).toLocaleString('en-US')} after the on-sale), 2 API instances, compressed clock: ${ratePerMinute.toLocaleString('en-US')} admissions/min, cap ${maxActive.toLocaleString('en-US')}, TTL ${ttlSeconds} s\n`);
console.log(table(['measure', 'measured', 'target'], [
  ['admission rate over the rush (Redis time, while places wait)', `${fixed(achievedPerMinute)}/min vs ${fixed(ratePerMinute)} configured (${fixed(((achievedPerMinute - ratePerMinute) / ratePerMinute) * 100, 1)} %, over ${fixed(rushSeconds, 1)} s)`, '±5 %'],
  ['peak admitted at once (Redis, sampled every 250 ms)', `${fixed(peakLive)} vs cap ${fixed(maxActive)}`, 'never above'],
  ['pre-queue: Spearman ρ, join order vs place', `${rho.toFixed(4)} (${fixed(preRanks.length)} pre-queue places)`, '|ρ| < 0.05'],
  ['after the on-sale: FIFO violations (consecutive joiners out of order)', `${fifoViolations} of ${(postJoinOrder.length - 1).toLocaleString('en-US')} pairs (${postJoinsRetried} joins failed and were retried later)`, '0'],
  ['Redis memory per queued buyer: queue zset (MEMORY USAGE)', `${fixed(queueBytes / queued, 1)} B (${fixed(queueBytes / 1024 / 1024, 2)} MiB for ${fixed(queued)})`, '≤ 200 B'],
  ['… all room keys / used_memory growth over the joins', `${fixed((queueBytes + roomBytes) / queued, 1)} B / ${fixed((memoryAfterJoins - memoryBefore) / queued, 1)} B`, '≤ 200 B'],
  ['API CPU per hold, no room (baseline)', `${fixed(holdPlain.microseconds)} µs (1.00×)`, ''],
  ['API CPU per join', `${fixed(join.microseconds)} µs (${ratio(join.microseconds)})`, ''],
  ['API CPU per status answer', `${fixed(status.microseconds)} µs (${ratio(status.microseconds)})`, ''],
  ['API CPU per hold through the room gate', `${fixed(holdRoom.microseconds)} µs (${ratio(holdRoom.microseconds)})`, '≈ 1×'],
  ['seats sold twice (ledger)', String(twice!.n), '0'],
  ['buyers admitted / turn lapsed / transport or 5xx retries', `${fixed(admitted.length)} / ${fixed(results.length - admitted.length)} / ${fixed(results.reduce((s, r) => s + r.failures, 0))}`, ''],
  ['wait after the on-sale: p50 / p95 / max (s)', `${pct(0.5)} / ${pct(0.95)} / ${waits[waits.length - 1]!.toFixed(1)}`, ''],
  ['status polls per buyer (API answered all: no edge locally)', fixed(polls / results.length, 1), ''],
  ['tickets sold by admitted buyers (holds refused: seat taken)', `${fixed(sold)} (${fixed(holdsRefused)})`, ''],
]));
console.log(`\nmicro phases (${microOps.toLocaleString('en-US')} each, 32 at a time): ${[holdPlain, join, status, holdRoom].map((m) => `${m.label} ${fixed(m.perSecond)}/s`).join('; ')}`);
console.log(`wall time ${fixed((Date.now() - started) / 1000)} s`);

redis.disconnect();
await platform.stop();
