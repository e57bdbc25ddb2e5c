import type { CutoverOptions } from './cutover-action.ts';
import type { CommandModule } from './command-module.ts';
import { DEFAULT_STATE_SCHEMA } from '../state/state-schema.ts';
import { parseDuration } from '../cutover/duration.ts';

/** `bin/migrate cutover`: stop writes on the source, let the follower apply the rest, verify, report what to repoint. */
export const cutoverCommand: CommandModule = {
  name: 'cutover',
  register(program, context) {
    program
      .command('cutover')
      .description('switch to the target while db --follow runs: source read-only, final sync, verify changed chunks, report (undone on failure)')
      .requiredOption('--source <url>', 'source database, e.g. mysql://admin:secret@onprem-db:3306/tickets (needs SUPER or READ_ONLY ADMIN, and RELOAD)')
      .requiredOption('--target <url>', 'target database the follower writes, e.g. mysql://admin:secret@rds-host:3306/tickets')
      .option('--max-downtime <duration>', 'writes stopped -> target verified must fit, or the source is made writable again', parseDuration, 10)
      .option('--max-lag <duration>', "refuse unless the follower's lag is under this", parseDuration, 2)
      .option('--state-schema <name>', 'schema on the target holding the follower checkpoint', DEFAULT_STATE_SCHEMA)
      .option('--json', 'one JSON line: the report')
      .addHelpText(
        'after',
        `
Example (in a second terminal while "bin/migrate db ... --follow" runs):
  bin/migrate cutover --source mysql://admin:pw@onprem:3306/tickets --target mysql://admin:pw@rds:3306/tickets --max-downtime 10s

Exit codes: 0 cut over (source left read-only), 1 aborted or mismatch (source writable again), 2 usage or connection error.`,
      )
      .action(async (options: CutoverOptions) => (await import('./cutover-action.ts')).runCutoverCommand(options, context));
  },
};
