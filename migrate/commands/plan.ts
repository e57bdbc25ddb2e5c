import type { CommandModule } from './command-module.ts';
import { planDatabase } from '../operations/plan-database.ts';
import { formatBytes, formatSeconds } from '../progress/rates.ts';
import { textTable } from '../report/text-table.ts';
import { addTableSelection, DEFAULT_CHUNK_ROWS, resolveDatabaseUrl, type TableSelectionOptions } from './shared-options.ts';
import { parsePositiveInt } from './option-parsers.ts';

interface PlanOptions extends TableSelectionOptions {
  source: string;
  chunkRows: number;
  json?: boolean;
}

/** `bin/migrate plan`: read-only survey of the source before a copy. */
export const planCommand: CommandModule = {
  name: 'plan',
  register(program, context) {
    const command = program
      .command('plan')
      .description('survey the source: tables, row estimates, sizes, objects that need attention, estimated duration')
      .requiredOption('--source <url>', 'source database, e.g. mysql://reader:secret@onprem-db:3306/tickets');
    addTableSelection(command)
      .option('--chunk-rows <n>', 'rows per primary-key range', parsePositiveInt, DEFAULT_CHUNK_ROWS)
      .option('--json', 'print the plan as one JSON object')
      .addHelpText('after', '\nExample:\n  bin/migrate plan --source mysql://root@127.0.0.1:3306/legacy')
      .action(async (options: PlanOptions) => {
        const source = resolveDatabaseUrl(options.source, '--source');
        const plan = await planDatabase({
          source: source.endpoint,
          database: source.database,
          include: options.tables ?? [],
          exclude: options.exclude ?? [],
          chunkRows: options.chunkRows,
        });
        if (options.json) {
          context.stdout.write(`${JSON.stringify({ type: 'report', command: 'plan', ...plan })}\n`);
          return;
        }
        const lines = [
          `plan for ${plan.source}: ${plan.server}, ${plan.charset}/${plan.collation}, binlog ${plan.binlog}`,
          textTable(
            ['table', 'engine', 'rows (est.)', 'data', 'indexes', 'chunks'],
            plan.tables.map((table) => [table.name, table.engine, table.rowsEstimate, formatBytes(table.dataBytes), formatBytes(table.indexBytes), table.chunks]),
          ),
          ...plan.tables.flatMap((table) => table.notes.map((note) => `attention ${table.name}: ${note}`)),
          ...plan.objects.map((object) => `${object.kind} ${object.name}: ${object.note}`),
          `total ${plan.totals.rows.toLocaleString('en-US')} rows, ${formatBytes(plan.totals.bytes)}; estimated copy + verify ${formatSeconds(plan.estimatedSeconds)} (rough: measured on a 2-core machine)`,
        ];
        context.stdout.write(`${lines.join('\n')}\n`);
      });
  },
};
