import type { CommandContext } from './command-module.ts';
import { generateLegacyDataset } from '../fixtures/legacy-dataset.ts';
import { parseMysqlUrl } from '../mysql/connection-url.ts';
import { UsageError } from '../errors.ts';

export interface DatasetOptions {
  target: string;
  scale: number;
  seed: number;
  posters?: string;
  posterCount?: number;
  json?: boolean;
}

/** Runs `bin/migrate dataset` (loaded only when that command is chosen, to keep start-up fast). */
export async function runDataset(options: DatasetOptions, context: CommandContext): Promise<void> {
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
}
