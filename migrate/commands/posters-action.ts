import type { CommandContext } from '../commands/command-module.ts';
import { CliError, ConnectionError, MismatchError } from '../errors.ts';
import { createReporter } from '../progress/create-reporter.ts';
import { ProgressCounters } from '../progress/counters.ts';
import { PosterManifest } from './manifest.ts';
import { redact, type PosterOptions } from './posters-options.ts';
import { errorCodeOf } from './retry.ts';
import { createS3Client } from './s3-client.ts';
import { FatalS3Error } from './sync-file.ts';
import { syncPosters } from './sync-posters.ts';
import type { SyncReport } from './sync-report.ts';
import type { RewriteReport } from './rewrite/rewrite-poster-keys.ts';
import type { RollbackReport } from './rewrite/rollback-poster-keys.ts';
import { printPostersSummary } from './print-summary.ts';

/** `bin/migrate posters`: upload + verify, then (with --rewrite-db) point rows at the verified keys. */
export async function runPosters(options: PosterOptions, context: CommandContext): Promise<void> {
  if (options.rollback) return runRollback(options, context);
  const client = createS3Client({
    endpoint: options.endpoint, region: options.region, env: context.env,
    maxSockets: options.concurrency * Math.max(1, options.queueSize),
  });
  const counters = new ProgressCounters('files');
  const reporter = createReporter({ json: options.json, stream: options.json ? context.stdout : context.stderr });
  const manifest = await PosterManifest.open(options.stateDir);
  reporter.start(counters);
  let report: SyncReport;
  let rewrite: RewriteReport | undefined;
  try {
    ({ report, rewrite } = await uploadAndRewrite(options, client, manifest, counters, (line) => reporter.log(line)));
  } catch (error) {
    throw asCliError(error, options);
  } finally {
    reporter.stop();
    await manifest.close();
    client.destroy();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', ...report, rewrite })}\n`);
  else printPostersSummary(context.stdout, report, rewrite);
  if (report.failed.length > 0) {
    throw new MismatchError(`${report.failed.length} file(s) not uploaded and verified, first: ${report.failed[0]!.path}: ${report.failed[0]!.error}`);
  }
  if (rewrite && rewrite.conflicts > 0) throw new MismatchError(`${rewrite.conflicts} row(s) changed during the rewrite and were left alone; re-run to finish`);
}

async function uploadAndRewrite(
  options: PosterOptions,
  client: ReturnType<typeof createS3Client>,
  manifest: PosterManifest,
  counters: ProgressCounters,
  log: (line: string) => void,
): Promise<{ report: SyncReport; rewrite?: RewriteReport }> {
  // Connect first: a wrong database URL should stop the run before any upload, not after.
  const database = options.rewrite ? await openRewriteDatabase(options) : undefined;
  try {
    const { report, results } = await syncPosters(
      { ...options, retry: { attempts: options.retries } },
      { client, manifest, counters, log },
    );
    if (!database) return { report };
    const rewrite = await database.rewrite.rewritePosterKeys({
      connection: database.connection, target: options.rewrite!, from: options.from, results,
      journal: database.journal, dryRun: options.dryRun, counters,
    });
    return { report, rewrite };
  } finally {
    await database?.connection.end();
  }
}

/** mysql2 and the rewrite code load only when --rewrite-db is given: a plain upload starts faster. */
async function openRewriteDatabase(options: PosterOptions) {
  const target = options.rewrite!;
  const [{ default: mysql }, rewrite, table, { RewriteJournal }] = await Promise.all([
    import('mysql2/promise'),
    import('./rewrite/rewrite-poster-keys.ts'),
    import('./rewrite/poster-table.ts'),
    import('./rewrite/rewrite-journal.ts'),
  ]);
  let connection;
  try {
    connection = await mysql.createConnection({ uri: target.url, charset: 'utf8mb4' });
  } catch (error) {
    throw new ConnectionError(`cannot connect to --rewrite-db ${redact(target.url)}: ${errorCodeOf(error) ?? ''} ${(error as Error).message}`.trim());
  }
  try {
    await table.assertPosterColumns(connection, target);
  } catch (error) {
    await connection.end();
    throw error;
  }
  return { connection, rewrite, journal: RewriteJournal.for(options.stateDir, target.table, target.keyColumn) };
}

async function runRollback(options: PosterOptions, context: CommandContext): Promise<void> {
  const database = await openRewriteDatabase(options);
  const { rollbackPosterKeys } = await import('./rewrite/rollback-poster-keys.ts');
  let report: RollbackReport;
  try {
    report = await rollbackPosterKeys({ connection: database.connection, target: options.rewrite!, journal: database.journal, dryRun: options.dryRun });
  } finally {
    await database.connection.end();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', rollback: report })}\n`);
  else {
    context.stdout.write(
      `rollback ${report.table}.${report.column}: ${report.restored} restored, ${report.alreadyRestored} already restored, ${report.conflicts.length} changed since (left alone)\n`,
    );
  }
  if (report.entries === 0) throw new CliError(`nothing to roll back: no rewrite journal at ${database.journal.file}`);
  if (report.conflicts.length > 0) {
    const first = report.conflicts[0]!;
    throw new MismatchError(`${report.conflicts.length} row(s) changed since the rewrite were left alone, first: id ${first.id} holds ${first.found}`);
  }
}

function asCliError(error: unknown, options: PosterOptions): unknown {
  if (error instanceof CliError) return error;
  const where = `s3://${options.bucket}/${options.prefix}${options.endpoint ? ` at ${options.endpoint}` : ''}`;
  const original = error instanceof FatalS3Error ? error.original : error;
  const code = errorCodeOf(original);
  const message = original instanceof Error ? original.message.split('\n', 1)[0] : String(original);
  if (error instanceof FatalS3Error || isS3OrNetworkError(original)) {
    return new ConnectionError(`cannot use ${where}: ${code && !message.includes(code) ? `${code}: ` : ''}${message}`);
  }
  return error;
}

function isS3OrNetworkError(error: unknown): boolean {
  const e = error as { $metadata?: unknown; code?: unknown } | null;
  return Boolean(e && (e.$metadata !== undefined || typeof e.code === 'string'));
}
