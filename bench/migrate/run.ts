// npm run bench:migrate: bin/migrate (copy + verify) vs mysqldump | mysql vs mydumper + myloader,
// same 3M-row legacy database, into a target with default server settings and into a tuned one, measured in one run. Env: BENCH_ROUNDS (default 3),
// BENCH_SCALE (default 270 = ~3.04M rows), BENCH_SOURCE_URL (server with the source, default 3306).
import { cpus, loadavg } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { generateLegacyDataset } from '../../migrate/fixtures/legacy-dataset.ts';
import { legacyCounts } from '../../migrate/fixtures/legacy-rows.ts';
import { startMariadbServer, type MariadbServerOptions } from '../../test/support/mariadb-server.ts';
import { commandExists, measure, median, processCpuSeconds, type Measurement } from './measure.ts';
import { runApiDemo } from './api-demo.ts';
import { runLivePhase } from './live-phase.ts';

const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const scale = Number(process.env.BENCH_SCALE ?? 270);
const sourceServer = new URL(process.env.BENCH_SOURCE_URL ?? 'mysql://root@127.0.0.1:3306');
const sourceDb = `tk_bench_legacy_${scale}`;
const migrateBin = fileURLToPath(new URL('../../bin/migrate', import.meta.url));

function cliArgs(url: URL): string {
  return `-h ${url.hostname} -P ${url.port || 3306} -u ${url.username || 'root'}${url.password ? ` -p${decodeURIComponent(url.password)}` : ''}`;
}

/** Builds the source once per scale; later runs reuse it when the row counts still match. */
async function ensureSource(): Promise<number> {
  const admin = await mysql.createConnection(sourceServer.href);
  try {
    const expected = legacyCounts(scale);
    const [rows] = await admin.query(`SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`, [sourceDb]);
    if (Number((rows as { n: number }[])[0]!.n) === 5) {
      const [[users]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${sourceDb}\`.users`)) as unknown as [{ n: number }[]];
      if (Number(users!.n) === expected.users) {
        const [counts] = await admin.query(
          `SELECT (SELECT COUNT(*) FROM \`${sourceDb}\`.users) + (SELECT COUNT(*) FROM \`${sourceDb}\`.events) + (SELECT COUNT(*) FROM \`${sourceDb}\`.seats) + (SELECT COUNT(*) FROM \`${sourceDb}\`.orders) + (SELECT COUNT(*) FROM \`${sourceDb}\`.tickets) AS n`,
        );
        return Number((counts as { n: number }[])[0]!.n);
      }
    }
    await admin.query(`DROP DATABASE IF EXISTS \`${sourceDb}\``);
  } finally {
    await admin.end();
  }
  console.log(`building ${sourceDb} (scale ${scale})...`);
  const summary = await generateLegacyDataset({ url: `${sourceServer.href.replace(/\/$/, '')}/${sourceDb}`, scale });
  return summary.totalRows;
}

type Timed = Measurement & { readonly targetCpuSeconds: number };

interface Tool {
  readonly name: string;
  readonly run: (target: TargetServer, round: number) => Promise<Measurement>;
}

/** A target server the tools copy into: its own mariadbd, so its CPU is the tools' alone. */
interface TargetServer {
  readonly name: string;
  readonly url: string;
  readonly pid: number;
  readonly admin: mysql.Connection;
  stop(): Promise<void>;
}

/**
 * Both targets are measured in one run. `default settings` is what a fresh MariaDB or a small RDS class
 * has (128 MB buffer pool, 96 MB redo log); `tuned` gives InnoDB room (512 MB pool, 256 MB redo log).
 * The speed target must hold on both: nothing in the tool may depend on a tuned server.
 */
const TARGETS = [
  { name: 'default settings (128M pool)', options: { serverDefaults: true } },
  { name: 'tuned (512M pool, 256M redo)', options: { bufferPoolSize: '512M', redoLogSize: '256M' } },
] as const;

const OURS = 'bin/migrate db (copy + verify)';
const MYDUMPER = 'mydumper + myloader (4 threads)';
const MYSQLDUMP = 'mysqldump --single-transaction piped into mysql';

async function startTarget(name: string, options: MariadbServerOptions): Promise<TargetServer> {
  const server = await startMariadbServer(options);
  const admin = await mysql.createConnection(server.url);
  return { name, url: server.url, pid: server.pid, admin, stop: async () => (await admin.end(), await server.stop()) };
}

async function main(): Promise<void> {
  const totalRows = await ensureSource();
  const targets: TargetServer[] = [];
  const sourceUrl = `${sourceServer.href.replace(/\/$/, '')}/${sourceDb}`;
  // BENCH_LIVE=only: just the live phase (copy + follow + cutover under a 2,000 changes/s writer); 0: skip it.
  if (process.env.BENCH_LIVE === 'only') {
    await runLivePhase({ sourceUrl, scale });
    return;
  }
  const dumpRoot = await mkdtemp(path.join(tmpdir(), 'tk-bench-dump-'));
  const resetTarget = async (target: TargetServer, db: string) => {
    await target.admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await target.admin.query('DROP DATABASE IF EXISTS `_ticketkit_migrate`');
  };
  const tools: Tool[] = [
    {
      name: OURS,
      run: async (target) => {
        await resetTarget(target, 'migrated');
        return measure(`${migrateBin} db --source ${sourceUrl} --target ${target.url}/migrated --json > ${dumpRoot}/migrate.jsonl`);
      },
    },
    {
      name: 'bin/migrate db --no-verify (copy only)',
      run: async (target) => {
        await resetTarget(target, 'migrated_nv');
        return measure(`${migrateBin} db --source ${sourceUrl} --target ${target.url}/migrated_nv --no-verify > /dev/null`);
      },
    },
    {
      name: MYSQLDUMP,
      run: async (target) => {
        await resetTarget(target, 'dumped');
        await target.admin.query('CREATE DATABASE dumped CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
        return measure(`mysqldump ${cliArgs(sourceServer)} --single-transaction --routines --triggers ${sourceDb} | mysql ${cliArgs(new URL(target.url))} dumped`);
      },
    },
  ];
  if (commandExists('mydumper') && commandExists('myloader')) {
    tools.push({
      name: MYDUMPER,
      run: async (target, round) => {
        await resetTarget(target, 'mydumped');
        const dir = path.join(dumpRoot, `mydumper-${round}`);
        await rm(dir, { recursive: true, force: true });
        const result = await measure(
          `mydumper ${cliArgs(sourceServer)} -B ${sourceDb} -o ${dir} -t 4 -r 100000 && myloader ${cliArgs(new URL(target.url))} -d ${dir} -B mydumped -t 4`,
        );
        await rm(dir, { recursive: true, force: true });
        return result;
      },
    });
  } else {
    console.log('mydumper/myloader not installed (apt-get install -y mydumper): that baseline is skipped');
  }

  // results by target name, then tool name
  const results = new Map<string, Map<string, Timed[]>>();
  const loads: number[] = [];
  try {
    for (const profile of TARGETS) {
      targets.push(await startTarget(profile.name, profile.options));
      results.set(profile.name, new Map());
    }
    for (let round = 0; round < rounds; round += 1) {
      // Rotate the order each round so no tool always runs on a warmer (or busier) machine; targets alternate too.
      const order = tools.map((_, index) => tools[(index + round) % tools.length]!);
      for (const tool of order) {
        for (const target of round % 2 ? [...targets].reverse() : targets) {
          loads.push(loadavg()[0]!);
          const targetCpuBefore = processCpuSeconds(target.pid);
          const measured = await tool.run(target, round);
          // Each target server is ours alone (the source server may be shared): its CPU is comparable.
          const result = { ...measured, targetCpuSeconds: processCpuSeconds(target.pid) - targetCpuBefore };
          if (result.exitCode !== 0) throw new Error(`${tool.name} on ${target.name} failed (${result.exitCode}): ${result.stderr.slice(-500)}`);
          const byTool = results.get(target.name)!;
          byTool.set(tool.name, [...(byTool.get(tool.name) ?? []), result]);
          console.log(
            `round ${round + 1}, ${target.name}: ${tool.name}: ${result.seconds.toFixed(2)} s, ${result.peakRssMb.toFixed(0)} MB, client CPU ${result.cpuSeconds.toFixed(1)} s, target server CPU ${result.targetCpuSeconds.toFixed(1)} s`,
          );
        }
      }
    }
    console.log(`\n${totalRows.toLocaleString('en-US')} rows, ${rounds} round(s), medians; 1-min load average during runs: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${cpus().length} cores`);
    for (const target of targets) printTable(target.name, tools, results.get(target.name)!);
    printSummary(targets, results);
    await runApiDemo({ databaseUrl: `${targets[0]!.url}/migrated` }).then(
      (lines) => console.log(`\n${lines.join('\n')}`),
      (error: Error) => console.log(`\nAPI demo skipped: ${error.message}`),
    );
  } finally {
    for (const target of targets) await target.stop();
    await rm(dumpRoot, { recursive: true, force: true });
  }
  if (process.env.BENCH_LIVE !== '0') await runLivePhase({ sourceUrl, scale });
}

function baselineOf(results: Map<string, Timed[]>): { name: string; list: Timed[] } {
  return results.has(MYDUMPER) ? { name: 'mydumper+myloader', list: results.get(MYDUMPER)! } : { name: 'mysqldump|mysql', list: results.get(MYSQLDUMP)! };
}

const cpuOf = (item: Timed) => item.cpuSeconds + item.targetCpuSeconds;

function printTable(targetName: string, tools: readonly Tool[], results: Map<string, Timed[]>): void {
  const baseline = baselineOf(results);
  const baseSeconds = median(baseline.list.map((item) => item.seconds));
  const baseCpu = median(baseline.list.map(cpuOf));
  console.log(`\ntarget: ${targetName}\n`);
  console.log(`| tool | wall s (median) | runs | vs ${baseline.name} | peak RSS MB | client + target-server CPU s (median) | CPU vs ${baseline.name} |`);
  console.log('|---|---:|---|---:|---:|---:|---:|');
  for (const tool of tools) {
    const list = results.get(tool.name)!;
    const seconds = median(list.map((item) => item.seconds));
    const rss = Math.max(...list.map((item) => item.peakRssMb));
    const cpu = median(list.map(cpuOf));
    console.log(
      `| ${tool.name} | ${seconds.toFixed(2)} | ${list.map((item) => item.seconds.toFixed(1)).join(' / ')} | ${(seconds / baseSeconds).toFixed(2)}x | ${rss.toFixed(0)} | ${cpu.toFixed(1)} | ${(cpu / baseCpu).toFixed(2)}x |`,
    );
  }
}

/** One line per target: the ratio the target (<= 0.80x of the baseline's copy alone) is about. */
function printSummary(targets: readonly TargetServer[], results: Map<string, Map<string, Timed[]>>): void {
  console.log('\n| target server | copy + verify s | baseline s | ratio (wall) | CPU s ours / baseline | ratio (CPU) | target <= 0.80x |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const target of targets) {
    const byTool = results.get(target.name)!;
    const baseline = baselineOf(byTool);
    const ours = byTool.get(OURS)!;
    const seconds = median(ours.map((item) => item.seconds));
    const baseSeconds = median(baseline.list.map((item) => item.seconds));
    const cpu = median(ours.map(cpuOf));
    const baseCpu = median(baseline.list.map(cpuOf));
    const ratio = seconds / baseSeconds;
    console.log(
      `| ${target.name} | ${seconds.toFixed(2)} | ${baseSeconds.toFixed(2)} (${baseline.name}) | ${ratio.toFixed(2)}x | ${cpu.toFixed(1)} / ${baseCpu.toFixed(1)} | ${(cpu / baseCpu).toFixed(2)}x | ${ratio <= 0.8 ? 'met' : `MISSED by ${((ratio - 0.8) * baseSeconds).toFixed(1)} s`} |`,
    );
  }
}

await main();
