import type { S3Client } from '@aws-sdk/client-s3';
import type mysql from 'mysql2/promise';
import type { CommandContext } from './command-module.ts';
import { CliError, MismatchError } from '../errors.ts';
import { createReporter } from '../progress/create-reporter.ts';
import { ProgressCounters } from '../progress/counters.ts';
import { PosterManifest } from '../state/poster-manifest.ts';
import { RewriteJournal } from '../state/rewrite-journal.ts';
import { syncPosters } from '../operations/posters/sync-posters.ts';
import type { SyncReport } from '../operations/posters/sync-report.ts';
import type { RewriteReport } from '../operations/posters/rewrite-poster-keys.ts';
import { formatPostersReport, formatRollbackReport } from '../report/format-posters-report.ts';
import { asPosterCliError, openPosterBucket, openRewriteDatabase } from './poster-connections.ts';
import type { PosterOptions } from './poster-options.ts';

/** `bin/migrate posters`: upload + verify, then (with --rewrite-db) point rows at the verified keys. */
export async function runPosters(options: PosterOptions, context: CommandContext): Promise<void> {
  if (options.rollback) return runRollback(options, context);
  // Connect first: a wrong database URL should stop the run before any upload, not after.
  const database = options.rewrite ? await openRewriteDatabase(options.rewrite) : undefined;
  const client = openPosterBucket(options, context, options.concurrency * Math.max(1, options.queueSize));
  const counters = new ProgressCounters('files');
  const reporter = createReporter({ json: options.json, stream: options.json ? context.stdout : context.stderr });
  let manifest: PosterManifest | undefined;
  let report: SyncReport;
  let rewrite: RewriteReport | undefined;
  try {
    manifest = await PosterManifest.open(options.stateDir);
    reporter.start(counters);
    ({ report, rewrite } = await uploadAndRewrite(options, { client, manifest, database, counters, log: (line) => reporter.log(line) }));
  } catch (error) {
    throw asPosterCliError(error, options);
  } finally {
    reporter.stop();
    await manifest?.close();
    await database?.end().catch(() => undefined);
    client.destroy();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', ...report, rewrite })}\n`);
  else context.stdout.write(formatPostersReport(report, rewrite));
  if (report.failed.length > 0) {
    throw new MismatchError(`${report.failed.length} file(s) not uploaded and verified, first: ${report.failed[0]!.path}: ${report.failed[0]!.error}`);
  }
  if (rewrite && rewrite.conflicts > 0) throw new MismatchError(`${rewrite.conflicts} row(s) changed during the rewrite and were left alone; re-run to finish`);
}

interface PosterDeps {
  readonly client: S3Client;
  readonly manifest: PosterManifest;
  readonly database?: mysql.Connection;
  readonly counters: ProgressCounters;
  readonly log: (line: string) => void;
}

async function uploadAndRewrite(options: PosterOptions, deps: PosterDeps): Promise<{ report: SyncReport; rewrite?: RewriteReport }> {
  const { report, results } = await syncPosters({ ...options, retry: { attempts: options.retries } }, deps);
  if (!deps.database || !options.rewrite) return { report };
  // The rewrite code loads only with --rewrite-db: a plain upload starts faster.
  const { rewritePosterKeys } = await import('../operations/posters/rewrite-poster-keys.ts');
  const rewrite = await rewritePosterKeys({
    connection: deps.database, target: options.rewrite, from: options.from, results,
    journal: RewriteJournal.for(options.stateDir, options.rewrite.table, options.rewrite.keyColumn), dryRun: options.dryRun, counters: deps.counters,
  });
  return { report, rewrite };
}

async function runRollback(options: PosterOptions, context: CommandContext): Promise<void> {
  const target = options.rewrite!;
  const connection = await openRewriteDatabase(target);
  const journal = RewriteJournal.for(options.stateDir, target.table, target.keyColumn);
  const { rollbackPosterKeys } = await import('../operations/posters/rollback-poster-keys.ts');
  let report;
  try {
    report = await rollbackPosterKeys({ connection, target, journal, dryRun: options.dryRun });
  } finally {
    await connection.end().catch(() => undefined);
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', rollback: report })}\n`);
  else context.stdout.write(formatRollbackReport(report));
  if (report.entries === 0) throw new CliError(`nothing to roll back: no rewrite journal at ${journal.file}`);
  if (report.conflicts.length > 0) {
    const first = report.conflicts[0]!;
    throw new MismatchError(`${report.conflicts.length} row(s) changed since the rewrite were left alone, first: id ${first.id} holds ${first.found}`);
  }
}
