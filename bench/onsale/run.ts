// npm run bench:onsale [-- --profile] [-- --rush-only] [-- --replica]: the on-sale spike on this machine,
// with both baselines measured in the same run. --profile writes and summarises a CPU profile of
// instance 1; --rush-only skips the full scenario (to profile the hold path alone); --replica instead
// runs browse-and-buy traffic on a primary with a GTID read replica, without and with DATABASE_READ_URL,
// and reports the primary's MySQL CPU in each.
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkLedger, type LedgerReport } from '../../test/faults/support/ledger.ts';
import type { Sale } from '../../test/faults/support/spike.ts';
import { onsaleScenario as scenario, seatsInVenue, stageWindow } from '../../test/load/scenario.ts';
import { summariseProfile } from './cpu-profile.ts';
import { byUserIdHeader, bySessionCookie, holdRush, onsaleVisit } from './flows.ts';
import { runLoad } from './load.ts';
import { startBenchPlatform, type BenchPlatform } from './platform.ts';
import { apiSpeaksCluster, clusterRedis, singleRedis, type RedisTarget } from './redis-targets.ts';
import { startScript } from './processes.ts';
import { measureCpu, pidsNamed } from './cpu-meter.ts';
import { compareWithReplica } from './replica-comparison.ts';
import { cpuTable, ledgerTable, profileTable, redisTable, rushTable, scenarioTable, type RushRow } from './report.ts';
import { PhaseStats } from './stats.ts';

const profile = process.argv.includes('--profile');
const rushOnly = process.argv.includes('--rush-only');
const phaseMs = Number(process.env.BENCH_PHASE_MS ?? 6_000);
const buyersCount = Number(process.env.BENCH_BUYERS ?? 3_000);
/** The scenario's stages (150 s) run at this fraction of their length, so the whole run stays near 3 minutes. */
const timeScale = Number(process.env.BENCH_TIME_SCALE ?? 0.25);
/** The rush's connection counts; the report's ratios need 256 and 64 (the default). */
const rushConnections = (process.env.BENCH_RUSH_CONNECTIONS ?? '256,64').split(',').map(Number);
const seats = seatsInVenue(scenario);
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

console.log(`bench:onsale on ${cpus().length} cores, node ${process.version}, load average at start ${load()}`);
if (process.argv.includes('--replica')) {
  const connections = Number(process.env.BENCH_REPLICA_CONNECTIONS ?? 64);
  const buyers = Number(process.env.BENCH_BUYERS ?? 500);
  console.log(`read replica comparison: ${buyers} buyers, ${connections} connections, ${phaseMs / 1000} s per run\n`);
  await compareWithReplica({ buyers, connections, phaseMs });
  console.log(`load average at end ${load()}`);
  process.exit(0);
}
console.log(`venue ${seats} seats, ${buyersCount} buyers, ${phaseMs / 1000} s per rush phase${profile ? ', instance 1 profiled' : ''}\n`);

const profileDir = profile ? await mkdtemp(join(tmpdir(), 'tk-bench-profile-')) : undefined;
// One set of API instances per Redis: the single Redis always, a local 3-master cluster when the API speaks it.
const redisTargets: RedisTarget[] = [singleRedis()];
const cluster = await clusterRedis();
if (cluster) redisTargets.push(cluster);
else console.log(`(no cluster column: ${apiSpeaksCluster() ? 'BENCH_REDIS_CLUSTER=0' : 'this API does not accept REDIS_MODE=cluster'})\n`);
const platforms: BenchPlatform[] = [];
for (const [targetIndex, redis] of redisTargets.entries()) {
  platforms.push(await startBenchPlatform({
    instances: 2,
    buyers: buyersCount,
    redis,
    nodeArgs: (index) => [
      ...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
      ...(profileDir && targetIndex === 0 && index === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
  }));
}
const platform = platforms[0]!;
const floor = await startScript('baselines/bare-koa-server.ts', {});
const monolith = await Promise.all([0, 1].map(() => startScript('baselines/mysql-lock-server.ts', { DATABASE_URL: platform.database.url })));
const gateLabel = (target: BenchPlatform) => `Redis seat gate hold (API, ${target.redis.label}), 2 instances`;
const ledgers: { label: string; ledger: LedgerReport; visit: PhaseStats; sales: number }[] = [];

try {
  const rows: RushRow[] = [];
  const pidsOf = (processes: { child: { pid?: number } }[]) => () => processes.flatMap(({ child }) => (child.pid ? [child.pid] : []));
  // The same groups for every phase, so the split shows what each way of holding costs the machine; the API
  // group is the instances under test (the first platform's, idle, during the baselines).
  const cpuGroups = (target: BenchPlatform) => ({
    'API instances': pidsOf(target.instances),
    'floor / lock server': pidsOf([floor, ...monolith]),
    Redis: () => pidsNamed('redis-server'),
    MariaDB: () => pidsNamed('mariadbd', 'mysqld'),
  });
  const floorPhase = async (connections: number) => {
    const phase = new PhaseStats();
    const { cpu } = await measureCpu(cpuGroups(platform), () => runLoad({
      targets: [floor.url], connections, durationMs: phaseMs, stats: phase,
      user: async ({ send, running }) => {
        while (running()) await send('ping', { method: 'GET', path: '/' });
      },
    }));
    rows.push({ label: '(a) floor: bare Koa, 1 process', connections, phase, endpoint: 'ping', cpu });
  };
  const rushPhase = async (label: string, target: BenchPlatform, connections: number, monolithWay: boolean, record = true) => {
    const { eventId, seatIds } = await target.createEvent(scenario.sections);
    const phase = new PhaseStats();
    const urls = monolithWay ? monolith.map((m) => m.url) : target.instances.map((instance) => instance.url);
    const { cpu } = await measureCpu(cpuGroups(target), () => runLoad({
      targets: urls, connections, durationMs: record ? phaseMs : 2_000, stats: phase,
      user: holdRush({ eventId, seatIds, buyers: target.buyers, connections, identify: monolithWay ? byUserIdHeader : bySessionCookie }),
    }));
    if (record) rows.push({ label, connections, phase, endpoint: 'hold', seats: seatIds.length, cpu, redis: monolithWay ? undefined : target.redis.label });
  };

  // Warm-up (JIT, pools, caches), not recorded.
  for (const target of platforms) await rushPhase('warm-up', target, 64, false, false);
  await rushPhase('warm-up', platform, 64, true, false);
  for (const connections of rushConnections) {
    await floorPhase(connections);
    await rushPhase('(b) MySQL FOR UPDATE hold, 2 processes', platform, connections, true);
    for (const target of platforms) await rushPhase(gateLabel(target), target, connections, false);
  }

  const peak = Math.max(...scenario.stages.map((stage) => stage.target));
  if (!rushOnly) {
    for (const target of platforms) {
      const visit = new PhaseStats();
      const sales: Sale[] = [];
      const { eventId } = await target.createEvent(scenario.sections);
      const totalMs = scenario.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0) * 1000 * timeScale;
      await runLoad({
        targets: target.instances.map((instance) => instance.url), connections: peak, durationMs: totalMs, stats: visit,
        schedule: (index) => stageWindow(scenario.stages, index, timeScale),
        user: onsaleVisit({ eventId, buyers: target.buyers, connections: peak, sales }),
      });
      ledgers.push({ label: target.redis.label, ledger: await checkLedger(target.database.url, eventId, sales), visit, sales: sales.length });
    }
  }
  const loadAtEnd = load();
  await Promise.all(platforms.map((target) => target.stop()));

  const at = (label: string, connections: number) => rows.find((row) => row.label.startsWith(label) && row.connections === connections);
  console.log('## Front-row rush: hold requests (fresh 5,090-seat event per phase; most first attempts want the same 40 seats)\n');
  console.log(rushTable(rows) + '\n');
  console.log('CPU seconds per phase, by process group (2 cores: at most 2 s per second of the phase); µs per answer = all CPU ÷ answers\n');
  console.log(cpuTable(rows) + '\n');
  console.log('## Single Redis vs Redis Cluster, same run (API CPU per hold = the API instances\' CPU ÷ hold answers)\n');
  console.log(redisTable(rows, rushConnections) + '\n');
  for (const connections of rushConnections) {
    const gate = at('Redis', connections)!.phase;
    const lock = at('(b)', connections)!.phase;
    const bare = at('(a)', connections)!.phase;
    console.log(`${connections} connections: hold answers/s ÷ floor = ${(gate.rate('hold') / bare.rate('ping')).toFixed(2)} (target ≥ 0.60); `
      + `÷ MySQL-lock = ${(gate.rate('hold') / lock.rate('hold')).toFixed(1)}× (target ≥ 3.5×); `
      + `holds granted/s to sell-out ÷ MySQL-lock = ${(gate.successRateUntilLast('hold') / lock.successRateUntilLast('hold')).toFixed(1)}×`);
  }
  const p99At = (connections: number) => at('Redis', connections)?.phase.endpoints.get('hold')!.percentiles().p99.toFixed(1) ?? '-';
  console.log(`hold p99 at 64 connections = ${p99At(64)} ms (target < 50 ms); at 256 = ${p99At(256)} ms\n`);

  for (const { label, ledger, visit, sales } of ledgers) {
    console.log(`## On-sale scenario on ${label}: 2 instances, stages ×${timeScale} (ramp to ${peak} buyers), until sell-out (${visit.seconds.toFixed(1)} s)\n`);
    console.log(scenarioTable(visit) + '\n');
    const holds = visit.endpoints.get('hold');
    console.log(`holds/s (all answers) ${(visit.rate('hold')).toFixed(0)}, holds granted/s ${((holds?.successes ?? 0) / visit.seconds).toFixed(0)}, `
      + `purchases/s ${((visit.endpoints.get('purchase')?.successes ?? 0) / visit.seconds).toFixed(0)}\n`);
    console.log(ledgerTable(ledger, seats, sales) + '\n');
  }
  console.log(`load average at end ${loadAtEnd}`);

  if (profileDir) {
    const summary = await summariseProfile(profileDir);
    console.log(`\n## CPU profile of instance 1 over the whole run (${(summary.totalMs / 1000).toFixed(1)} s busy)\n`);
    console.log(profileTable(summary.areas) + '\n');
    console.log(profileTable(summary.functions));
    console.log(`\n(profile kept in ${profileDir})`);
  }
  const failed = ledgers.some(({ ledger }) => ledger.seatsSoldTwice + ledger.salesWithoutOrder + ledger.ordersTwice > 0);
  process.exitCode = failed ? 1 : 0;
} finally {
  await Promise.allSettled([floor.stop(), ...monolith.map((m) => m.stop()), ...platforms.map((target) => target.stop())]);
  await Promise.allSettled(redisTargets.map((target) => target.stop()));
  if (profileDir && !profile) await rm(profileDir, { recursive: true, force: true });
}
