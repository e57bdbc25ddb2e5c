import type { PlanOptions } from './plan-action.ts';
import type { CommandModule } from './command-module.ts';
import { addTableSelection, DEFAULT_CHUNK_ROWS } from './shared-options.ts';
import { parsePositiveInt } from './option-parsers.ts';

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
      .action(async (options: PlanOptions) => (await import('./plan-action.ts')).runPlan(options, context));
  },
};
