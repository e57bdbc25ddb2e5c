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
import { startBenchPlatform } from './platform.ts';
import { startScript } from './processes.ts';
import { measureCpu, pidsNamed } from './cpu-meter.ts';
import { compareWithReplica } from './replica-comparison.ts';
import { cpuTable, ledgerTable, profileTable, rushTable, scenarioTable, type RushRow } from './report.ts';
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
const platform = await startBenchPlatform({
  instances: 2,
  buyers: buyersCount,
  nodeArgs: (index) => [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(profileDir && index === 0 ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
});
const floor = await startScript('baselines/bare-koa-server.ts', {});
const monolith = await Promise.all([0, 1].map(() => startScript('baselines/mysql-lock-server.ts', { DATABASE_URL: platform.database.url })));
const api = platform.instances.map((instance) => instance.url);

try {
  const rows: RushRow[] = [];
  const pidsOf = (processes: { child: { pid?: number } }[]) => () => processes.flatMap(({ child }) => (child.pid ? [child.pid] : []));
  // The same groups for every phase, so the split shows what each way of holding costs the machine.
  const cpuGroups = {
    'API instances': pidsOf(platform.instances),
    'floor / lock server': pidsOf([floor, ...monolith]),
    Redis: () => pidsNamed('redis-server'),
    MariaDB: () => pidsNamed('mariadbd', 'mysqld'),
  };
  const floorPhase = async (connections: number) => {
    const phase = new PhaseStats();
    const { cpu } = await measureCpu(cpuGroups, () => runLoad({
      targets: [floor.url], connections, durationMs: phaseMs, stats: phase,
      user: async ({ send, running }) => {
        while (running()) await send('ping', { method: 'GET', path: '/' });
      },
    }));
    rows.push({ label: '(a) floor: bare Koa, 1 process', connections, phase, endpoint: 'ping', cpu });
  };
  const rushPhase = async (label: string, targets: string[], connections: number, monolithWay: boolean, record = true) => {
    const { eventId, seatIds } = await platform.createEvent(scenario.sections);
    const phase = new PhaseStats();
    const { cpu } = await measureCpu(cpuGroups, () => runLoad({
      targets, connections, durationMs: record ? phaseMs : 2_000, stats: phase,
      user: holdRush({ eventId, seatIds, buyers: platform.buyers, connections, identify: monolithWay ? byUserIdHeader : bySessionCookie }),
    }));
    if (record) rows.push({ label, connections, phase, endpoint: 'hold', seats: seatIds.length, cpu });
  };

  // Warm-up (JIT, pools, caches), not recorded.
  await rushPhase('warm-up', api, 64, false, false);
  await rushPhase('warm-up', monolith.map((m) => m.url), 64, true, false);
  for (const connections of rushConnections) {
    await floorPhase(connections);
    await rushPhase('(b) MySQL FOR UPDATE hold, 2 processes', monolith.map((m) => m.url), connections, true);
    await rushPhase('Redis seat gate hold (API), 2 instances', api, connections, false);
  }

  const visit = new PhaseStats();
  const sales: Sale[] = [];
  const peak = Math.max(...scenario.stages.map((stage) => stage.target));
  let ledger: LedgerReport | undefined;
  if (!rushOnly) {
    const { eventId } = await platform.createEvent(scenario.sections);
    const totalMs = scenario.stages.reduce((sum, stage) => sum + stage.durationSeconds, 0) * 1000 * timeScale;
    await runLoad({
      targets: api, connections: peak, durationMs: totalMs, stats: visit,
      schedule: (index) => stageWindow(scenario.stages, index, timeScale),
      user: onsaleVisit({ eventId, buyers: platform.buyers, connections: peak, sales }),
    });
    ledger = await checkLedger(platform.database.url, eventId, sales);
  }
  const loadAtEnd = load();
  await platform.stop();

  const at = (label: string, connections: number) => rows.find((row) => row.label.startsWith(label) && row.connections === connections);
  console.log('## Front-row rush: hold requests (fresh 5,090-seat event per phase; most first attempts want the same 40 seats)\n');
  console.log(rushTable(rows) + '\n');
  console.log('CPU seconds per phase, by process group (2 cores: at most 2 s per second of the phase); µs per answer = all CPU ÷ answers\n');
  console.log(cpuTable(rows) + '\n');
  for (const connections of rushConnections) {
    const gate = at('Redis', connections)!.phase;
    const lock = at('(b)', connections)!.phase;
    const bare = at('(a)', connections)!.phase;
    console.log(`${connections} connections: hold answers/s ÷ floor = ${(gate.rate('hold') / bare.rate('ping')).toFixed(2)} (target ≥ 0.60); `
      + `÷ MySQL-lock = ${(gate.rate('hold') / lock.rate('hold')).toFixed(1)}× (target ≥ 3×); `
      + `holds granted/s to sell-out ÷ MySQL-lock = ${(gate.successRateUntilLast('hold') / lock.successRateUntilLast('hold')).toFixed(1)}×`);
  }
  const p99At = (connections: number) => at('Redis', connections)?.phase.endpoints.get('hold')!.percentiles().p99.toFixed(1) ?? '-';
  console.log(`hold p99 at 64 connections = ${p99At(64)} ms (target < 50 ms); at 256 = ${p99At(256)} ms\n`);

  if (ledger) {
    console.log(`## On-sale scenario: 2 instances, stages ×${timeScale} (ramp to ${peak} buyers), until sell-out (${visit.seconds.toFixed(1)} s)\n`);
    console.log(scenarioTable(visit) + '\n');
    const holds = visit.endpoints.get('hold');
    console.log(`holds/s (all answers) ${(visit.rate('hold')).toFixed(0)}, holds granted/s ${((holds?.successes ?? 0) / visit.seconds).toFixed(0)}, `
      + `purchases/s ${((visit.endpoints.get('purchase')?.successes ?? 0) / visit.seconds).toFixed(0)}\n`);
    console.log(ledgerTable(ledger, seats, sales.length) + '\n');
  }
  console.log(`load average at end ${loadAtEnd}`);

  if (profileDir) {
    const summary = await summariseProfile(profileDir);
    console.log(`\n## CPU profile of instance 1 over the whole run (${(summary.totalMs / 1000).toFixed(1)} s busy)\n`);
    console.log(profileTable(summary.areas) + '\n');
    console.log(profileTable(summary.functions));
    console.log(`\n(profile kept in ${profileDir})`);
  }
  const failed = ledger ? ledger.seatsSoldTwice + ledger.salesWithoutOrder + ledger.ordersTwice > 0 : false;
  process.exitCode = failed ? 1 : 0;
} finally {
  await Promise.allSettled([floor.stop(), ...monolith.map((m) => m.stop()), platform.stop()]);
  if (profileDir && !profile) await rm(profileDir, { recursive: true, force: true });
}
