import { startReplicatedMariadb } from '../../test/support/replicated-mariadb.ts';
import { onsaleScenario as scenario } from '../../test/load/scenario.ts';
import { measureCpu, pidsNamed, type CpuSplit } from './cpu-meter.ts';
import { browseAndBuy } from './flows.ts';
import { runLoad } from './load.ts';
import { startBenchPlatform } from './platform.ts';
import { scenarioTable, table } from './report.ts';
import { PhaseStats } from './stats.ts';

export interface ReplicaComparisonOptions {
  buyers: number;
  connections: number;
  phaseMs: number;
}

/**
 * The same browse-and-buy load twice on a primary with a GTID replica (both throwaway mariadbd): once
 * with every read on the primary, once with DATABASE_READ_URL set. Reports where the MySQL CPU went.
 */
export async function compareWithReplica(options: ReplicaComparisonOptions): Promise<void> {
  const servers = await startReplicatedMariadb();
  const rows: { label: string; phase: PhaseStats; cpu: CpuSplit }[] = [];
  try {
    for (const withReplica of [false, true]) {
      const platform = await startBenchPlatform({
        instances: 2,
        buyers: options.buyers,
        databaseServerUrl: servers.primary.url,
        readReplicaServerUrl: withReplica ? servers.replica.url : undefined,
      });
      try {
        const { eventId } = await platform.createEvent(scenario.sections);
        await servers.caughtUp();
        const targets = platform.instances.map((instance) => instance.url);
        const pass = (stats: PhaseStats, durationMs: number) => runLoad({
          targets, connections: options.connections, durationMs, stats,
          user: browseAndBuy({ eventId, buyers: platform.buyers, connections: options.connections }),
        });
        await pass(new PhaseStats(), 2_000); // warm-up: JIT, pools, layouts, the replica monitor's first checks
        const phase = new PhaseStats();
        const { cpu } = await measureCpu({
          'MariaDB primary': () => [servers.primary.pid],
          'MariaDB replica': () => [servers.replica.pid],
          'API instances': () => platform.instances.flatMap(({ child }) => (child.pid ? [child.pid] : [])),
          Redis: () => pidsNamed('redis-server'),
        }, () => pass(phase, options.phaseMs));
        phase.endedAt = Date.now();
        rows.push({ label: withReplica ? 'reads on the replica' : 'everything on the primary', phase, cpu });
        console.log(`### ${rows.at(-1)!.label}\n\n${scenarioTable(phase)}\n`);
      } finally {
        await platform.stop();
      }
    }
  } finally {
    await servers.stop();
  }
  const answers = (phase: PhaseStats) => [...phase.endpoints.values()].reduce((sum, stats) => sum + stats.count, 0);
  console.log('## MySQL CPU with and without the read replica (CPU seconds over the phase)\n');
  console.log(table(
    ['run', 'answers/s', 'primary CPU s', 'replica CPU s', 'primary ms per 1,000 answers', 'API CPU s', 'Redis CPU s'],
    rows.map(({ label, phase, cpu }) => [
      label,
      (answers(phase) / phase.seconds).toFixed(0),
      cpu['MariaDB primary']!.toFixed(2),
      cpu['MariaDB replica']!.toFixed(2),
      ((cpu['MariaDB primary']! / answers(phase)) * 1e6).toFixed(0),
      cpu['API instances']!.toFixed(2),
      cpu.Redis!.toFixed(2),
    ]),
  ));
}
