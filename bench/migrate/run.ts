// npm run bench:migrate: bin/migrate (copy + verify) vs mysqldump | mysql vs mydumper + myloader,
// same 3M-row legacy database, same target server, measured in one run. Env: BENCH_ROUNDS (default 3),
// BENCH_SCALE (default 270 = ~3.04M rows), BENCH_SOURCE_URL (server with the source, default 3306).
import { cpus, loadavg } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { generateLegacyDataset } from '../../migrate/fixtures/legacy-dataset.ts';
import { legacyCounts } from '../../migrate/fixtures/legacy-rows.ts';
import { startMariadbServer } from '../../test/support/mariadb-server.ts';
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
  readonly run: (target: URL, round: number) => Promise<Measurement>;
}

async function main(): Promise<void> {
  const totalRows = await ensureSource();
  const sourceUrl = `${sourceServer.href.replace(/\/$/, '')}/${sourceDb}`;
  // BENCH_LIVE=only: just the live phase (copy + follow + cutover under a 2,000 changes/s writer); 0: skip it.
  if (process.env.BENCH_LIVE === 'only') {
    await runLivePhase({ sourceUrl, scale });
    return;
  }
  const server = await startMariadbServer({ bufferPoolSize: '512M', redoLogSize: '256M' });
  const target = new URL(server.url);
  const dumpRoot = await mkdtemp(path.join(tmpdir(), 'tk-bench-dump-'));
  const admin = await mysql.createConnection(server.url);
  const resetTarget = async (db: string) => {
    await admin.query(`DROP DATABASE IF EXISTS \`${db}\``);
    await admin.query('DROP DATABASE IF EXISTS `_ticketkit_migrate`');
  };
  const tools: Tool[] = [
    {
      name: 'bin/migrate db (copy + verify)',
      run: async () => {
        await resetTarget('migrated');
        return measure(`${migrateBin} db --source ${sourceUrl} --target ${server.url}/migrated --json > ${dumpRoot}/migrate.jsonl`);
      },
    },
    {
      name: 'bin/migrate db --no-verify (copy only)',
      run: async () => {
        await resetTarget('migrated_nv');
        return measure(`${migrateBin} db --source ${sourceUrl} --target ${server.url}/migrated_nv --no-verify > /dev/null`);
      },
    },
    {
      name: 'mysqldump --single-transaction piped into mysql',
      run: async () => {
        await resetTarget('dumped');
        await admin.query('CREATE DATABASE dumped CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci');
        return measure(`mysqldump ${cliArgs(sourceServer)} --single-transaction --routines --triggers ${sourceDb} | mysql ${cliArgs(target)} dumped`);
      },
    },
  ];
  if (commandExists('mydumper') && commandExists('myloader')) {
    tools.push({
      name: 'mydumper + myloader (4 threads)',
      run: async (_target, round) => {
        await resetTarget('mydumped');
        const dir = path.join(dumpRoot, `mydumper-${round}`);
        const result = await measure(
          `mydumper ${cliArgs(sourceServer)} -B ${sourceDb} -o ${dir} -t 4 -r 100000 && myloader ${cliArgs(target)} -d ${dir} -B mydumped -t 4`,
        );
        await rm(dir, { recursive: true, force: true });
        return result;
      },
    });
  } else {
    console.log('mydumper/myloader not installed (apt-get install -y mydumper): that baseline is skipped');
  }

  const results = new Map<string, Timed[]>();
  const loads: number[] = [];
  try {
    for (let round = 0; round < rounds; round += 1) {
      // Rotate the order each round so no tool always runs on a warmer (or busier) machine.
      const order = tools.map((_, index) => tools[(index + round) % tools.length]!);
      for (const tool of order) {
        loads.push(loadavg()[0]!);
        const targetCpuBefore = processCpuSeconds(server.pid);
        const measured = await tool.run(target, round);
        // The target server is ours alone (the source server may be shared): its CPU is comparable.
        const result = { ...measured, targetCpuSeconds: processCpuSeconds(server.pid) - targetCpuBefore };
        if (result.exitCode !== 0) throw new Error(`${tool.name} failed (${result.exitCode}): ${result.stderr.slice(-500)}`);
        results.set(tool.name, [...(results.get(tool.name) ?? []), result]);
        console.log(
          `round ${round + 1}: ${tool.name}: ${result.seconds.toFixed(2)} s, ${result.peakRssMb.toFixed(0)} MB, client CPU ${result.cpuSeconds.toFixed(1)} s, target server CPU ${result.targetCpuSeconds.toFixed(1)} s`,
        );
      }
    }
    printTable(totalRows, tools, results, loads);
    await runApiDemo({ databaseUrl: `${server.url}/migrated` }).then(
      (lines) => console.log(`\n${lines.join('\n')}`),
      (error: Error) => console.log(`\nAPI demo skipped: ${error.message}`),
    );
  } finally {
    await admin.end();
    await server.stop();
    await rm(dumpRoot, { recursive: true, force: true });
  }
  if (process.env.BENCH_LIVE !== '0') await runLivePhase({ sourceUrl, scale });
}

function printTable(totalRows: number, tools: readonly Tool[], results: Map<string, Timed[]>, loads: number[]): void {
  const baseline = results.get('mydumper + myloader (4 threads)') ?? results.get('mysqldump --single-transaction piped into mysql')!;
  const baselineName = results.has('mydumper + myloader (4 threads)') ? 'mydumper+myloader' : 'mysqldump|mysql';
  const baseSeconds = median(baseline.map((item) => item.seconds));
  console.log(`\n${totalRows.toLocaleString('en-US')} rows, ${rounds} round(s), medians; 1-min load average during runs: ${Math.min(...loads).toFixed(1)}-${Math.max(...loads).toFixed(1)} on ${cpus().length} cores\n`);
  const baseCpu = median(baseline.map((item) => item.cpuSeconds + item.targetCpuSeconds));
  console.log(`| tool | wall s (median) | runs | vs ${baselineName} | peak RSS MB | client + target-server CPU s (median) | CPU vs ${baselineName} |`);
  console.log('|---|---:|---|---:|---:|---:|---:|');
  for (const tool of tools) {
    const list = results.get(tool.name)!;
    const seconds = median(list.map((item) => item.seconds));
    const rss = Math.max(...list.map((item) => item.peakRssMb));
    const cpu = median(list.map((item) => item.cpuSeconds + item.targetCpuSeconds));
    console.log(
      `| ${tool.name} | ${seconds.toFixed(2)} | ${list.map((item) => item.seconds.toFixed(1)).join(' / ')} | ${(seconds / baseSeconds).toFixed(2)}x | ${rss.toFixed(0)} | ${cpu.toFixed(1)} | ${(cpu / baseCpu).toFixed(2)}x |`,
    );
  }
  const ours = median(results.get('bin/migrate db (copy + verify)')!.map((item) => item.seconds));
  const ratio = ours / baseSeconds;
  console.log(
    ratio <= 0.8
      ? `\ntarget met: bin/migrate copy + verify is ${ratio.toFixed(2)}x of ${baselineName} copy alone (target <= 0.80x)`
      : `\ntarget MISSED: bin/migrate copy + verify is ${ratio.toFixed(2)}x of ${baselineName} copy alone (target <= 0.80x, over by ${((ratio - 0.8) * baseSeconds).toFixed(1)} s)`,
  );
}

await main();
