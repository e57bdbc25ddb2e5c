import type { CommandContext } from './command-module.ts';
import { MismatchError } from '../errors.ts';
import { openConnectionPair } from '../mysql/connection-pair.ts';
import { verifyDatabase } from '../operations/verify-database.ts';
import { ProgressPhases } from '../progress/phases.ts';
import { describeSnapshot } from '../report/format-copy-report.ts';
import { formatVerification, mismatchSummary } from '../report/format-verification.ts';
import { textTable } from '../report/text-table.ts';
import { databasePair, type DatabasePairOptions } from './shared-options.ts';

export type VerifyOptions = DatabasePairOptions;

/** Runs `bin/migrate verify` (loaded only when that command is chosen, to keep start-up fast). */
export async function runVerify(options: VerifyOptions, context: CommandContext): Promise<void> {
  const pair = databasePair(options);
  const phases = new ProgressPhases({ json: options.json ?? false, stdout: context.stdout, stderr: context.stderr, unit: 'rows' });
  const connections = await openConnectionPair(pair.source, pair.target);
  let report;
  try {
    report = await verifyDatabase(pair, { connections, counters: phases.start('verify') });
  } finally {
    phases.end();
    await connections.close();
  }
  if (options.json) {
    context.stdout.write(`${JSON.stringify({ type: 'report', command: 'verify', ...report })}\n`);
  } else {
    const lines = [
      `verify ${report.source} -> ${report.target}`,
      describeSnapshot(report.snapshot),
      textTable(
        ['table', 'source rows', 'target rows', 'chunks', 'differing rows', 'verdict'],
        report.tables.map((table) => [table.table, table.sourceRows, table.targetRows, table.chunks, table.differenceCount, table.verdict]),
      ),
      ...formatVerification(report.tables),
    ];
    context.stdout.write(`${lines.join('\n')}\n`);
  }
  const mismatch = mismatchSummary(report.tables);
  if (mismatch) throw new MismatchError(mismatch);
}
