import type { Command } from 'commander';
import type { CommandModule } from './command-module.ts';
import { POSTER_DEFAULTS, parsePosterOptions, type RawPosterOptions } from './poster-options.ts';

/** Flags shared by `posters` and `verify-posters`. */
export function addPosterSourceOptions(command: Command): Command {
  return command
    .requiredOption('--from <dir>', 'directory holding the poster files')
    .requiredOption('--bucket <name>', 'S3 bucket')
    .option('--prefix <prefix>', 'key prefix in the bucket', POSTER_DEFAULTS.prefix)
    .option('--endpoint <url>', 'S3-compatible endpoint (path-style), e.g. http://127.0.0.1:4568')
    .option('--region <region>', 'AWS region (default: AWS_REGION or us-east-1)')
    .option('--concurrency <n>', `files in flight (default ${POSTER_DEFAULTS.concurrency})`)
    .option('--part-size <bytes>', 'multipart above this size, in parts of this size (default 8MiB)')
    .option('--key-style <style>', 'hashed (content-addressed, immutable) or path (default hashed)')
    .option('--verify <mode>', 'checksum (server checksum, download if none), download, or size (default checksum)')
    .option('--follow-symlinks', 'upload the targets of symlinks instead of reporting them')
    .option('--state-dir <dir>', 'where the manifest and rewrite journal live (default under ~/.local/state)')
    .option('--rewrite-db <url>', 'mysql:// URL of the database whose rows point at the posters')
    .option('--table <name>', 'table holding the poster paths', POSTER_DEFAULTS.table)
    .option('--id-column <name>', 'its primary key', POSTER_DEFAULTS.idColumn)
    .option('--path-column <name>', 'column with the legacy file path', POSTER_DEFAULTS.pathColumn)
    .option('--key-column <name>', 'column that receives the object key', POSTER_DEFAULTS.keyColumn)
    .option('--json', 'JSON lines on stdout and a final report');
}

export const postersCommand: CommandModule = {
  name: 'posters',
  register(program, context) {
    addPosterSourceOptions(program.command('posters').description('Upload poster files to S3, verify them, and point the database at them'))
      .option('--cache-control <value>', 'Cache-Control of every object (default: immutable for hashed keys, 5 min for path keys)')
      .option('--queue-size <n>', `parts of one large file in flight (default ${POSTER_DEFAULTS.queueSize})`)
      .option('--memory <MiB>', `file bytes held in memory at once (default ${POSTER_DEFAULTS.memoryMiB})`)
      .option('--retries <n>', `attempts per file operation (default ${POSTER_DEFAULTS.retries})`)
      .option('--recheck', 'verify every existing object again instead of trusting the manifest')
      .option('--dry-run', 'list what would be uploaded and rewritten, change nothing')
      .option('--rollback', 'restore the rows changed by earlier --rewrite-db runs, from the journal')
      .action(async (raw: RawPosterOptions) => {
        const options = parsePosterOptions(raw, context.env);
        // The S3 SDK loads only now: `bin/migrate db` and `--help` never pay for it.
        const { runPosters } = await import('./posters-action.ts');
        await runPosters(options, context);
      });
  },
};
