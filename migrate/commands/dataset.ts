import type { CommandModule } from './command-module.ts';
import { generateLegacyDataset } from '../fixtures/legacy-dataset.ts';
import { parseMysqlUrl } from '../mysql/connection-url.ts';
import { UsageError } from '../errors.ts';
import { parsePositiveNumber } from './option-parsers.ts';

interface DatasetOptions {
  target: string;
  scale: number;
  seed: number;
  posters?: string;
  posterCount?: number;
  json?: boolean;
}

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
      .action(async (options: DatasetOptions) => {
        parseMysqlUrl(options.target, '--target');
        if (options.posterCount !== undefined && !options.posters) throw new UsageError('--poster-count needs --posters <dir>');
        const started = Date.now();
        const summary = await generateLegacyDataset({
          url: options.target,
          scale: options.scale,
          seed: options.seed,
          ...(options.posters ? { posterDir: options.posters } : {}),
          ...(options.posterCount ? { posters: { count: options.posterCount } } : {}),
          onTable: (table, rows) => {
            if (!options.json) context.stdout.write(`loaded ${table}: ${rows.toLocaleString('en-US')} rows\n`);
          },
        });
        const seconds = (Date.now() - started) / 1000;
        const { posterFiles, ...rest } = summary;
        const posterBytes = posterFiles.reduce((sum, file) => sum + file.bytes, 0);
        if (options.json) {
          context.stdout.write(`${JSON.stringify({ type: 'report', ...rest, posterFiles: posterFiles.length, posterBytes, seconds })}\n`);
        } else {
          context.stdout.write(`${summary.database}: ${summary.totalRows.toLocaleString('en-US')} rows, ${posterFiles.length} poster files in ${seconds.toFixed(1)}s\n`);
        }
      });
  },
};
