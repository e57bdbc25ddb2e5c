import type { CommandContext } from './command-module.ts';
import { MismatchError } from '../errors.ts';
import { openConnectionPair } from '../mysql/connection-pair.ts';
import { copyDatabase } from '../operations/db/copy-database.ts';
import { ProgressPhases } from '../progress/phases.ts';
import { formatCopyReport } from '../report/format-copy-report.ts';
import { mismatchSummary } from '../report/format-verification.ts';
import { databasePair, type DatabasePairOptions } from './shared-options.ts';

export interface DbOptions extends DatabasePairOptions {
  resume?: boolean;
  overwrite?: boolean;
  dryRun?: boolean;
  verify: boolean;
  deferIndexes: boolean;
  stateSchema: string;
  follow?: boolean;
  serverId?: number;
}

/** Runs `bin/migrate db` (loaded only when that command is chosen, to keep start-up fast). */
export async function runDb(options: DbOptions, context: CommandContext): Promise<void> {
  // --follow: binlog preconditions before anything is copied, then the catch-up after the verification.
  const follow = options.follow ? await import('../binlog/db-follow.ts') : undefined;
  const prepared = follow ? await follow.prepareDbFollow(options) : undefined;
  if (prepared?.skipCopy) return follow!.runDbFollow(options, prepared, undefined, context);
  const pair = databasePair(options);
  const progress = new ProgressPhases({ json: options.json ?? false, stdout: context.stdout, stderr: context.stderr, unit: 'rows' });
  const connections = await openConnectionPair(pair.source, pair.target);
  let report;
  try {
    report = await copyDatabase(
      {
        ...pair,
        resume: options.resume ?? false,
        overwrite: options.overwrite ?? false,
        dryRun: options.dryRun ?? false,
        verify: options.verify,
        deferIndexes: options.deferIndexes,
        stateSchema: options.stateSchema,
        follow: options.follow ?? false,
      },
      { connections, progress },
    );
  } finally {
    progress.end();
    await connections.close();
  }
  if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', command: 'db', ...report })}\n`);
  else context.stdout.write(formatCopyReport(report));
  const mismatch = report.verification ? mismatchSummary(report.verification) : undefined;
  if (mismatch && !prepared?.catchUpRepairs(report)) throw new MismatchError(mismatch);
  if (prepared && !options.dryRun) await follow!.runDbFollow(options, prepared, report, context);
}
