import type { CommandContext } from './command-module.ts';
import { MismatchError } from '../errors.ts';
import { formatPosition } from '../binlog/binlog-position.ts';
import { runCutover } from '../cutover/run-cutover.ts';
import { resolveDatabaseUrl } from './shared-options.ts';

export interface CutoverOptions {
  source: string;
  target: string;
  maxDowntime: number;
  maxLag: number;
  stateSchema: string;
  json?: boolean;
}

/** Runs `bin/migrate cutover` (loaded only when that command is chosen). */
export async function runCutoverCommand(options: CutoverOptions, context: CommandContext): Promise<void> {
  const source = resolveDatabaseUrl(options.source, '--source');
  const target = resolveDatabaseUrl(options.target, '--target');
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  let report;
  try {
    report = await runCutover({
      source: source.endpoint,
      target: target.endpoint,
      sourceDatabase: source.database,
      targetDatabase: target.database,
      stateSchema: options.stateSchema,
      maxDowntimeSeconds: options.maxDowntime,
      maxLagSeconds: options.maxLag,
      signal: controller.signal,
      ...(options.json ? {} : { log: (line: string) => context.stderr.write(`${line}\n`) }),
    });
  } finally {
    process.removeListener('SIGINT', stop);
  }
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ type: 'report', command: 'cutover', ...report })}\n`);
  } else {
    const lines =
      report.outcome === 'done'
        ? [
            `cut over in ${report.downtimeSeconds.toFixed(2)} s of stopped writes at ${formatPosition(report.finalPosition!)}; ${report.verifiedChunks} changed chunks verified`,
            `repoint the application: DATABASE_URL=${report.repoint.DATABASE_URL}`,
            'the source stays read-only; roll back by pointing DATABASE_URL at it again and SET GLOBAL read_only = 0 (changes made on the target since are not copied back)',
          ]
        : [`cutover aborted after ${report.downtimeSeconds.toFixed(2)} s: ${report.reason}; the source is writable again`];
    for (const session of report.bypassSessions) lines.push(`warning: session ${session.id} (${session.user}@${session.host}) can write despite read_only`);
    context.stdout.write(`${lines.join('\n')}\n`);
  }
  if (report.outcome === 'aborted') throw new MismatchError(`cutover aborted: ${report.reason}; the source is writable again`);
}
