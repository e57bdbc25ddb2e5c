// The live phase of npm run bench:migrate: the 3M-row legacy database on a binlog-enabled source
// while a shop writes 2,000 row changes/s; bin/migrate db --follow copies, verifies and catches up,
// MariaDB's own replication applies the same stream from a backlog, then bin/migrate cutover.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { legacyCounts } from '../../migrate/fixtures/legacy-rows.ts';
import { startMariadbServer, type MariadbServer } from '../../test/support/mariadb-server.ts';
import { waitUntil } from '../../test/support/wait.ts';
import { percentile, startLagProbe, startLiveWriter } from './live-writer.ts';

const migrateBin = fileURLToPath(new URL('../../bin/migrate', import.meta.url));
const RATE = Number(process.env.BENCH_LIVE_RATE ?? 2000);
const STEADY_SECONDS = Number(process.env.BENCH_LIVE_STEADY_SECONDS ?? 20);

interface Position {
  file: string;
  position: number;
}

async function masterPosition(connection: mysql.Connection): Promise<Position> {
  const [[row]] = (await connection.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
  return { file: row!.File, position: Number(row!.Position) };
}

/** Bytes of binlog between two positions, across files (SHOW BINARY LOGS sizes). */
async function bytesBetween(source: mysql.Connection, from: Position, to: Position): Promise<number> {
  if (from.file === to.file) return to.position - from.position;
  const [logs] = (await source.query('SHOW BINARY LOGS')) as unknown as [{ Log_name: string; File_size: number }[]];
  let bytes = 0;
  for (const log of logs) {
    if (log.Log_name < from.file || log.Log_name > to.file) continue;
    if (log.Log_name === from.file) bytes += Number(log.File_size) - from.position;
    else if (log.Log_name === to.file) bytes += to.position;
    else bytes += Number(log.File_size);
  }
  return bytes;
}

function atOrAfter(a: Position, b: Position): boolean {
  return a.file > b.file || (a.file === b.file && a.position >= b.position);
}

function runMigrate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(migrateBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function peakRssMb(pid: number): number {
  const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : NaN;
}

export async function runLivePhase(options: { sourceUrl: string; scale: number }): Promise<string[]> {
  const servers: MariadbServer[] = [];
  const lines: string[] = [];
  const log = (line: string) => {
    console.log(line);
    lines.push(line);
  };
  try {
    // One at a time: parallel mariadb-install-db runs can collide on /tmp temporary table names.
    const live = await startMariadbServer({ bufferPoolSize: '512M', redoLogSize: '256M', extraArgs: ['--log-bin', '--binlog-format=ROW', '--binlog-row-image=FULL', '--server-id=101'] });
    servers.push(live);
    const target = await startMariadbServer({ bufferPoolSize: '512M', redoLogSize: '256M' });
    servers.push(target);
    const replica = await startMariadbServer({ bufferPoolSize: '512M', redoLogSize: '256M', extraArgs: ['--server-id=102'] });
    servers.push(replica);
    const liveDb = await mysql.createConnection(live.url);
    const counts = legacyCounts(options.scale);
    log('live: loading the legacy database into a binlog-enabled source...');
    const loaded = await runMigrate(['db', '--source', options.sourceUrl, '--target', `${live.url}/legacy`, '--no-verify', '--json']);
    if (loaded.code !== 0) throw new Error(`loading the live source failed: ${loaded.stderr}`);
    // The native replica starts from the same data, taken while the source is idle.
    const idle = await masterPosition(liveDb);
    const copied = await runMigrate(['db', '--source', `${live.url}/legacy`, '--target', `${replica.url}/legacy`, '--no-verify', '--json', '--state-schema', '_tk_replica']);
    if (copied.code !== 0) throw new Error(`seeding the replica failed: ${copied.stderr}`);
    const replicaDb = await mysql.createConnection(replica.url);
    await replicaDb.query(`CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${live.port}, MASTER_USER = 'root', MASTER_LOG_FILE = ?, MASTER_LOG_POS = ?, MASTER_USE_GTID = no`, [idle.file, idle.position]);

    const writer = await startLiveWriter(`${live.url}/legacy`, { changesPerSecond: RATE, users: counts.users, orders: counts.orders });
    const writerStart = { at: Date.now(), changes: 0 };
    const follower = spawn(migrateBin, ['db', '--source', `${live.url}/legacy`, '--target', `${target.url}/legacy`, '--follow', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    follower.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    follower.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<number>((resolve) => follower.once('close', (code) => resolve(code ?? -1)));
    const jsonLines = () => out.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const copyStarted = Date.now();
    await waitUntil('the follow phase', () => {
      if (follower.exitCode !== null) throw new Error(`bin/migrate db --follow exited: ${err}`);
      return jsonLines().some((line) => line.type === 'log' && line.phase === 'follow');
    }, 900_000, 20);
    const followStarted = Date.now();
    const backlogEnd = await masterPosition(liveDb);
    const copyReport = jsonLines().find((line) => line.type === 'report') as { snapshot: { binlogFile: string; binlogPosition: number } };
    const snapshot = { file: copyReport.snapshot.binlogFile, position: copyReport.snapshot.binlogPosition };
    const targetDb = await mysql.createConnection(target.url);
    const applied = async (): Promise<Position & { changes: number }> => {
      const [[row]] = (await targetDb.query("SELECT applied_file AS file, applied_position AS position, applied_changes AS changes FROM _ticketkit_migrate.follow_state WHERE target_schema = 'legacy'")) as unknown as [{ file: string; position: number; changes: number }[]];
      return { file: row!.file, position: Number(row!.position), changes: Number(row!.changes) };
    };
    await waitUntil('the follower to apply its backlog', async () => atOrAfter(await applied(), backlogEnd), 900_000, 50);
    const caughtUp = Date.now();
    const followerBacklog = await applied();
    const followerBytes = await bytesBetween(liveDb, snapshot, backlogEnd);
    const catchUpSeconds = (caughtUp - followStarted) / 1000;

    // Steady state (from 3 s after the backlog is applied): lag as buyers see it, sampled every 100 ms.
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // let the tail of the catch-up drain before measuring
    const probe = await startLagProbe(`${target.url}/legacy`, writer);
    const steadyFrom = { at: Date.now(), changes: writer.changes() };
    await new Promise((resolve) => setTimeout(resolve, STEADY_SECONDS * 1000)); // the measurement window itself
    await probe.stop();
    const steadyRate = (writer.changes() - steadyFrom.changes) / ((Date.now() - steadyFrom.at) / 1000);
    // The follower's own lagSeconds over the same window (its progress lines are once a second).
    const progressLines = jsonLines().filter((line) => line.type === 'progress' && line.phase === 'follow');
    const reportedLag = progressLines.slice(-STEADY_SECONDS).map((line) => Number(line.lagSeconds));

    // Native replication: the same kind of stream, applied from its own backlog while the shop keeps writing.
    const replicaFrom = idle;
    const replicaTo = await masterPosition(liveDb);
    const replicaStarted = Date.now();
    await replicaDb.query('START SLAVE');
    await waitUntil('the replica to apply its backlog', async () => {
      const [[status]] = (await replicaDb.query('SHOW SLAVE STATUS')) as unknown as [Record<string, unknown>[]];
      if (status?.Last_SQL_Error) throw new Error(`replica: ${String(status.Last_SQL_Error)}`);
      return !!status && atOrAfter({ file: String(status.Relay_Master_Log_File), position: Number(status.Exec_Master_Log_Pos) }, replicaTo);
    }, 1_800_000, 50);
    const replicaSeconds = (Date.now() - replicaStarted) / 1000;
    const replicaBytes = await bytesBetween(liveDb, replicaFrom, replicaTo);
    await replicaDb.query('STOP SLAVE');

    // Cutover under the steady writer.
    const cutover = await runMigrate(['cutover', '--source', `${live.url}/legacy`, '--target', `${target.url}/legacy`, '--json']);
    const cutoverReport = JSON.parse(cutover.stdout.trim().split('\n').pop() ?? '{}') as { outcome?: string; downtimeSeconds?: number; reason?: string };
    const rss = peakRssMb(follower.pid!);
    await writer.stop();
    const writerRate = writer.changes() / ((Date.now() - writerStart.at) / 1000);
    follower.kill('SIGINT');
    await exited;
    const writerEnd = await masterPosition(liveDb);
    const changesPerByte = writer.changes() / (await bytesBetween(liveDb, idle, writerEnd));
    await Promise.all([liveDb.end(), replicaDb.end(), targetDb.end()]);

    const followerRate = followerBacklog.changes / catchUpSeconds;
    const nativeRate = (replicaBytes * changesPerByte) / replicaSeconds;
    const followerByteRate = followerBytes / catchUpSeconds;
    const nativeByteRate = replicaBytes / replicaSeconds;
    const lagP50 = percentile(probe.samples, 50);
    const lagP99 = percentile(probe.samples, 99);
    log('');
    log(`live phase: writer ${writerRate.toFixed(0)} row changes/s overall (${steadyRate.toFixed(0)}/s in the steady window; target ${RATE}); copy + verify ${((followStarted - copyStarted) / 1000).toFixed(1)} s`);
    log(`| measure | value | target |`);
    log('|---|---:|---|');
    log(`| catch-up apply rate, bin/migrate --follow | ${followerRate.toFixed(0)} row changes/s (${followerBacklog.changes.toLocaleString('en-US')} changes, ${(followerByteRate / 1e6).toFixed(2)} MB/s of binlog, ${catchUpSeconds.toFixed(1)} s) | |`);
    log(`| catch-up apply rate, MariaDB replication (1 SQL thread) | ${nativeRate.toFixed(0)} row changes/s (${(nativeByteRate / 1e6).toFixed(2)} MB/s of binlog, ${replicaSeconds.toFixed(1)} s) | |`);
    log(`| apply rate vs native (binlog bytes/s) | ${(followerByteRate / nativeByteRate).toFixed(2)}x | >= 1.0x |`);
    log(`| steady-state lag p50 / p99 (probe, ${probe.samples.length} samples) | ${lagP50.toFixed(3)} s / ${lagP99.toFixed(3)} s | p99 < 1 s |`);
    if (reportedLag.length) log(`| follower-reported lagSeconds p50 / p99 | ${percentile(reportedLag, 50).toFixed(3)} / ${percentile(reportedLag, 99).toFixed(3)} s | |`);
    log(`| cutover downtimeSeconds | ${cutoverReport.outcome === 'done' ? cutoverReport.downtimeSeconds!.toFixed(2) : `aborted: ${cutoverReport.reason}`} | <= 5 s |`);
    log(`| follower peak RSS (VmHWM) | ${rss.toFixed(0)} MB | < 300 MB |`);
    return lines;
  } finally {
    await Promise.all(servers.map((server) => server.stop().catch(() => undefined)));
  }
}
