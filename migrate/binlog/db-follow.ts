import type { CommandContext } from '../commands/command-module.ts';
import type { DbOptions } from '../commands/db-action.ts';
import { databasePair } from '../commands/shared-options.ts';
import type { CopyReport } from '../operations/db/copy-report.ts';
import { defaultServerId, prepareFollow, type FollowPreparation } from './follow-step.ts';
import { runFollow } from './run-follow.ts';

export interface DbFollow extends FollowPreparation {
  /** A resumed copy mixes chunks from two snapshots: the catch-up repairs what verification found, and the cutover verifies it. */
  catchUpRepairs(report: CopyReport): boolean;
}

/** The thin seam between `bin/migrate db` and the follow step: preconditions and checkpoint before the copy. */
export async function prepareDbFollow(options: DbOptions): Promise<DbFollow> {
  const pair = databasePair(options);
  const prepared = await prepareFollow({
    ...pair,
    resume: options.resume ?? false,
    overwrite: options.overwrite ?? false,
    dryRun: options.dryRun ?? false,
    stateSchema: options.stateSchema,
    serverId: options.serverId ?? defaultServerId(pair.target.display, pair.targetDatabase),
  });
  return { ...prepared, catchUpRepairs: (report) => report.tables.some((table) => table.action !== 'create') };
}

/** Runs the follow step after the copy (or straight away when the copy was done by an earlier run). */
export async function runDbFollow(options: DbOptions, prepared: FollowPreparation, copy: CopyReport | undefined, context: CommandContext): Promise<void> {
  const pair = databasePair(options);
  const start = copy ? prepared.startAfterCopy(copy) : undefined;
  await runFollow(
    {
      pair,
      stateSchema: options.stateSchema,
      serverId: options.serverId ?? defaultServerId(pair.target.display, pair.targetDatabase),
      ...(start ? { start } : {}),
      json: options.json ?? false,
    },
    context,
  );
}
