import type { CommandContext } from '../commands/command-module.ts';
import { MismatchError } from '../errors.ts';
import type { DatabasePair } from '../operations/database-pair.ts';
import { formatPosition, type BinlogPosition } from './binlog-position.ts';
import { followBinlog } from './follow-binlog.ts';
import { FollowReporter } from './follow-reporter.ts';

export interface RunFollowOptions {
  readonly pair: DatabasePair;
  readonly stateSchema: string;
  readonly serverId: number;
  readonly start?: BinlogPosition;
  readonly json: boolean;
}

/**
 * `db --follow`'s last step, called after the copy and its verification: follows until Ctrl-C (a
 * clean stop at a batch boundary), then prints its report. Source writes after a cutover make it exit 1.
 */
export async function runFollow(options: RunFollowOptions, context: CommandContext): Promise<void> {
  const reporter = new FollowReporter({ json: options.json, stdout: context.stdout, stderr: context.stderr });
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    reporter.log(options.start ? `follow: catching up from ${formatPosition(options.start)}` : 'follow: continuing from the checkpoint on the target');
    const report = await followBinlog({
      source: options.pair.source,
      target: options.pair.target,
      sourceDatabase: options.pair.sourceDatabase,
      targetDatabase: options.pair.targetDatabase,
      stateSchema: options.stateSchema,
      serverId: options.serverId,
      ...(options.start ? { start: options.start } : {}),
      signal: controller.signal,
      onProgress: (progress) => reporter.progress(progress),
      onError: (message) => reporter.error(message),
    });
    reporter.end();
    if (options.json) context.stdout.write(`${JSON.stringify({ type: 'report', command: 'db', phase: 'follow', ...report })}\n`);
    else context.stdout.write(`follow stopped at ${formatPosition(report.applied)}: ${report.appliedChanges.toLocaleString('en-US')} row changes applied in ${report.batches} batches, ${report.seconds.toFixed(1)} s\n`);
    if (report.writesAfterCutover > 0) throw new MismatchError(`${report.writesAfterCutover} source transactions wrote after the cutover position and were not applied`);
  } finally {
    reporter.end();
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
}
