import type { DatasetOptions } from './dataset-action.ts';
import type { CommandModule } from './command-module.ts';
import { parsePositiveNumber } from './option-parsers.ts';

/** Builds a legacy ticketing database (schema v1) for tests, benchmarks and rehearsals. */
export const datasetCommand: CommandModule = {
  name: 'dataset',
  register(program, context) {
    program
      .command('dataset')
      .description('generate a realistic legacy ticketing database (schema v1) and its poster files')
      .requiredOption('--target <url>', 'database to create and fill, e.g. mysql://root@127.0.0.1:3306/legacy')
      .option('--scale <n>', 'size: 1 is ~11,000 rows, 270 is ~3 million rows', parsePositiveNumber, 1)
      .option('--seed <n>', 'random seed (same seed, same data)', parsePositiveNumber, 42)
      .option('--posters <dir>', 'also write poster files here and point events.poster_path at them')
      .option('--poster-count <n>', 'how many poster files (default: one per event)', parsePositiveNumber)
      .option('--json', 'print the summary as JSON')
      .addHelpText('after', '\nExample:\n  bin/migrate dataset --target mysql://root@127.0.0.1:3306/legacy --scale 270 --posters /tmp/posters')
      .action(async (options: DatasetOptions) => (await import('./dataset-action.ts')).runDataset(options, context));
  },
};
