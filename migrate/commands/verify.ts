import type { CommandModule } from './command-module.ts';
import { MismatchError } from '../errors.ts';
import { verifyDatabase } from '../operations/verify-database.ts';
import { ProgressPhases } from '../progress/phases.ts';
import { describeSnapshot } from '../report/format-copy-report.ts';
import { formatVerification, mismatchSummary } from '../report/format-verification.ts';
import { textTable } from '../report/text-table.ts';
import { addParallelism, addTableSelection, resolveDatabaseUrl, type TableSelectionOptions } from './shared-options.ts';

interface VerifyOptions extends TableSelectionOptions {
  source: string;
  target: string;
  parallel: number;
  chunkRows: number;
  json?: boolean;
}

/** `bin/migrate verify`: exit 0 only when source and target hold identical rows. */
export const verifyCommand: CommandModule = {
  name: 'verify',
  register(program, context) {
    const command = program
      .command('verify')
      .description('compare source and target by row counts and per-chunk checksums; name every differing row')
      .requiredOption('--source <url>', 'source database, e.g. mysql://reader:secret@onprem-db:3306/tickets')
      .requiredOption('--target <url>', 'target database, e.g. mysql://admin:secret@rds-host:3306/tickets');
    addTableSelection(command);
    addParallelism(command)
      .option('--json', 'JSON lines: progress, then a final report')
      .addHelpText(
        'after',
        `
Example:
  bin/migrate verify --source mysql://root@127.0.0.1:3306/legacy --target mysql://admin:pw@rds:3306/legacy --json

Exit codes: 0 identical, 1 mismatch (each differing row printed with table and primary key), 2 usage or connection error.`,
      )
      .action(async (options: VerifyOptions) => {
        const source = resolveDatabaseUrl(options.source, '--source');
        const target = resolveDatabaseUrl(options.target, '--target');
        const phases = new ProgressPhases({ json: options.json ?? false, stdout: context.stdout, stderr: context.stderr, unit: 'rows' });
        let report;
        try {
          report = await verifyDatabase({
            source: source.endpoint,
            target: target.endpoint,
            sourceDatabase: source.database,
            targetDatabase: target.database,
            include: options.tables ?? [],
            exclude: options.exclude ?? [],
            parallel: options.parallel,
            chunkRows: options.chunkRows,
            counters: phases.start('verify'),
          });
        } finally {
          phases.end();
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
      });
  },
};
