import type { DbOptions } from './db-action.ts';
import type { CommandModule } from './command-module.ts';
import { DEFAULT_STATE_SCHEMA } from '../state/state-schema.ts';
import { addParallelism, addTableSelection } from './shared-options.ts';
import { parsePositiveInt } from './option-parsers.ts';

/** `bin/migrate db`: copy a database into another server, consistently, in parallel, resumably, verified. */
export const dbCommand: CommandModule = {
  name: 'db',
  register(program, context) {
    const command = program
      .command('db')
      .description('copy a MySQL/MariaDB database to another server (e.g. RDS): schema, data, views, triggers, routines; then verify')
      .requiredOption('--source <url>', 'source database, e.g. mysql://reader:secret@onprem-db:3306/tickets')
      .requiredOption('--target <url>', 'target database (created if missing), e.g. mysql://admin:secret@rds-host:3306/tickets');
    addTableSelection(command);
    addParallelism(command)
      .option('--resume', 'continue an interrupted copy from its checkpoints on the target')
      .option('--overwrite', 'drop and recopy target tables that already have rows')
      .option('--dry-run', 'show what would be copied; write nothing')
      .option('--no-verify', 'skip the checksum comparison after the copy')
      .option('--no-defer-indexes', 'create secondary indexes before loading instead of after')
      .option('--state-schema <name>', 'schema on the target for checkpoints', DEFAULT_STATE_SCHEMA)
      .option('--follow', "after the copy and its verification, apply the source's binlog to the target until Ctrl-C (then: bin/migrate cutover)")
      .option('--server-id <n>', 'replication server id of the follower (default: derived from the target)', parsePositiveInt)
      .option('--json', 'JSON lines: progress, then a final report')
      .addHelpText(
        'after',
        `
Examples:
  bin/migrate db --source mysql://root@127.0.0.1:3306/legacy --target mysql://admin:pw@rds:3306/legacy
  bin/migrate db --source ... --target ... --tables users,orders --parallel 8 --json
  bin/migrate db --source ... --target ... --resume      # after an interruption (even kill -9)
  bin/migrate db --source ... --target ... --follow      # copy, verify, then keep applying the binlog
  bin/migrate db --source ... --target ... --resume --follow   # continue the catch-up after a stop or kill -9

Exit codes: 0 copied and verified, 1 verification mismatch, 2 usage or connection error.`,
      )
      .action(async (options: DbOptions) => (await import('./db-action.ts')).runDb(options, context));
  },
};
