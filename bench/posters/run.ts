// npm run bench:posters: bin/migrate posters vs `aws s3 sync` vs `rclone copy`, on 2,000 poster files
// (80% 50-500 KB, 20% 1-8 MB) into one local S3 server, full upload and nothing-to-do re-run.
// Everything it writes (the files, every bucket, the state directories: ~20 GB at the default size) is
// removed when it ends, however it ends; BENCH_KEEP_SOURCE=1 keeps the generated files for the next run.
import { spawn } from 'node:child_process';
import { existsSync, rmdirSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { writePosterFiles } from '../../migrate/fixtures/poster-files.ts';
import { processCpuSeconds } from '../process-cpu.ts';
import { median, measure, type Measurement } from './measure.ts';
import { awsTool, findBinary, migrateTool, rcloneTool, S3_CREDENTIALS, type Tool } from './tools.ts';

const FILES = Number(process.env.BENCH_FILES ?? 2000);
const FULL_RUNS = Number(process.env.BENCH_FULL_RUNS ?? 2);
const RERUNS = Number(process.env.BENCH_RERUNS ?? 3);
const WORK = process.env.BENCH_DIR ?? path.join(tmpdir(), 'ticketkit-bench-posters');
const SOURCE = path.join(WORK, `source-${FILES}`);
const S3_DIR = path.join(WORK, 's3');
const STATE_DIR = path.join(WORK, 'state');
const KEEP_SOURCE = process.env.BENCH_KEEP_SOURCE === '1';

/** Removes what the benchmark wrote; synchronous so that it also runs on Ctrl-C. */
function cleanUp(): void {
  for (const dir of [S3_DIR, STATE_DIR, ...(KEEP_SOURCE ? [] : [SOURCE])]) rmSync(dir, { recursive: true, force: true });
  try {
    rmdirSync(WORK); // only when nothing else is in it: BENCH_DIR may name a directory of the user's
  } catch {
    // not empty, or already gone
  }
}

/** A bucket no later run needs: its objects (s3rver keeps them as files under S3_DIR) and its state directory. */
async function dropBucket(target: { bucket: string; stateDir: string }): Promise<void> {
  await rm(path.join(S3_DIR, target.bucket), { recursive: true, force: true });
  await rm(target.stateDir, { recursive: true, force: true });
}

async function ensureSource(): Promise<{ from: string; bytes: number }> {
  const marker = path.join(SOURCE, '.complete');
  const from = path.join(SOURCE, 'posters');
  if (!existsSync(marker)) {
    await rm(SOURCE, { recursive: true, force: true });
    process.stderr.write(`generating ${FILES} poster files in ${SOURCE} ...\n`);
    const files = await writePosterFiles({ dir: SOURCE, count: FILES, seed: 11 });
    await writeFile(marker, String(files.reduce((sum, file) => sum + file.bytes, 0)));
  }
  const { readFile } = await import('node:fs/promises');
  return { from, bytes: Number(await readFile(marker, 'utf8')) };
}

async function startServer(directory: string): Promise<{ endpoint: string; cpuSeconds: () => number | undefined; stop: () => Promise<void> }> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '--import', 'tsx', path.join(import.meta.dirname, 'local-s3-process.ts'), directory],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const endpoint = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once('line', resolve));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    endpoint,
    cpuSeconds: () => processCpuSeconds(child.pid!),
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

interface Row {
  readonly tool: string;
  readonly phase: 'full upload' | 'nothing to do';
  readonly runs: Run[];
}

/** One timed run, with the CPU the S3 server spent serving it (the server is single-threaded). */
interface Run extends Measurement {
  readonly serverCpuSeconds?: number;
}

async function main(): Promise<void> {
  process.once('SIGINT', () => {
    cleanUp();
    process.exit(130);
  });
  try {
    await measureAll();
  } finally {
    cleanUp();
  }
}

async function measureAll(): Promise<void> {
  const { from, bytes } = await ensureSource();
  const server = await startServer(S3_DIR);
  const client = new S3Client({
    endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const env: NodeJS.ProcessEnv = { ...process.env, ...S3_CREDENTIALS, AWS_EC2_METADATA_DISABLED: 'true' };
  delete env.AWS_CA_BUNDLE; // plain-HTTP endpoint
  delete env.NODE_OPTIONS;
  const tools: Tool[] = [migrateTool('bin/migrate posters'), migrateTool('bin/migrate posters --verify size', ['--verify', 'size'])];
  const aws = findBinary(['/usr/bin/aws', 'aws']);
  const rclone = findBinary(['/usr/bin/rclone', 'rclone']);
  if (aws) tools.push(awsTool(aws));
  if (rclone) tools.push(rcloneTool(rclone, 16));
  const load = [loadavg()[0]!];
  const full = new Map<Tool, Run[]>(tools.map((tool) => [tool, []]));
  const reruns = new Map<Tool, Run[]>(tools.map((tool) => [tool, []]));
  const lastBucket = new Map<Tool, { bucket: string; stateDir: string }>();
  let bucketIndex = 0;
  const run = async (tool: Tool, target: { bucket: string; stateDir: string }, phase: string): Promise<Run> => {
    const { command, args } = tool.command({ from, ...target, endpoint: server.endpoint });
    const serverBefore = server.cpuSeconds();
    const measured = await measure(command, args, env);
    const serverAfter = server.cpuSeconds();
    if (measured.exitCode !== 0) throw new Error(`${tool.name} ${phase} failed (${measured.exitCode}): ${measured.stderr.slice(0, 500)}`);
    process.stderr.write(`${tool.name}: ${phase} ${measured.seconds.toFixed(2)}s\n`);
    load.push(loadavg()[0]!);
    return serverBefore === undefined || serverAfter === undefined ? measured : { ...measured, serverCpuSeconds: serverAfter - serverBefore };
  };
  try {
    // Rounds over all tools (not all runs of one tool, then the next): the machine's load drifts,
    // and interleaving spreads that drift over every tool alike.
    for (let round = 0; round < FULL_RUNS; round += 1) {
      for (const tool of tools) {
        const target = { bucket: `bench-${Date.now().toString(36)}-${bucketIndex++}`, stateDir: '' };
        target.stateDir = path.join(STATE_DIR, target.bucket);
        // Only each tool's last bucket is needed (for the re-runs): disk holds one copy per tool, not one per run.
        const previous = lastBucket.get(tool);
        if (previous) await dropBucket(previous);
        await client.send(new CreateBucketCommand({ Bucket: target.bucket }));
        full.get(tool)!.push(await run(tool, target, 'full upload'));
        lastBucket.set(tool, target);
      }
    }
    for (let round = 0; round < RERUNS; round += 1) {
      for (const tool of tools) reruns.get(tool)!.push(await run(tool, lastBucket.get(tool)!, 'nothing to do'));
    }
  } finally {
    client.destroy();
    await server.stop();
  }
  const rows: Row[] = tools.flatMap((tool) => [
    { tool: tool.name, phase: 'full upload' as const, runs: full.get(tool)! },
    { tool: tool.name, phase: 'nothing to do' as const, runs: reruns.get(tool)! },
  ]);
  printTable(rows, bytes, load);
}

function printTable(rows: readonly Row[], bytes: number, load: readonly number[]): void {
  const baselineNames = rows.filter((row) => !row.tool.startsWith('bin/migrate')).map((row) => row.tool);
  const best = (phase: Row['phase']) => {
    const candidates = rows.filter((row) => row.phase === phase && baselineNames.includes(row.tool));
    return candidates.length ? Math.min(...candidates.map((row) => median(row.runs.map((run) => run.seconds)))) : undefined;
  };
  const lines = [
    `${FILES} files, ${(bytes / 1e9).toFixed(2)} GB; medians of ${FULL_RUNS} full uploads and ${RERUNS} re-runs per tool, interleaved; ` +
      `1-minute load average from ${Math.min(...load).toFixed(1)} to ${Math.max(...load).toFixed(1)} (2 cores; other agents share the machine)`,
    '',
    '| tool | phase | wall s (median) | runs | files/s | MB/s | tool CPU s | S3 server CPU s | peak RSS MB | faster baseline / this |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const seconds = median(row.runs.map((run) => run.seconds));
    const baseline = best(row.phase);
    const peak = Math.max(...row.runs.map((run) => run.peakRssMb ?? 0));
    const cpu = (values: readonly (number | undefined)[]): string =>
      values.every((value) => value !== undefined) ? median(values as number[]).toFixed(2) : '?';
    const moved = row.phase === 'full upload' ? bytes : 0;
    lines.push(
      `| ${row.tool} | ${row.phase} | ${seconds.toFixed(2)} | ${row.runs.map((run) => run.seconds.toFixed(2)).join(', ')} | ` +
        `${(FILES / seconds).toFixed(0)} | ${moved ? (moved / 1e6 / seconds).toFixed(1) : '-'} | ` +
        `${cpu(row.runs.map((run) => run.cpuSeconds))} | ${cpu(row.runs.map((run) => run.serverCpuSeconds))} | ${peak ? peak.toFixed(0) : '?'} | ` +
        `${baseline ? `${(baseline / seconds).toFixed(2)}x` : 'n/a'} |`,
    );
  }
  lines.push('', 'Targets: full upload >= 1.25x (faster baseline / bin/migrate), nothing to do >= 2x; peak RSS < 250 MB.');
  process.stdout.write(`${lines.join('\n')}\n`);
}

await main();
