import type { VerifyOptions } from './verify-action.ts';
import type { CommandModule } from './command-module.ts';
import { addParallelism, addTableSelection } from './shared-options.ts';

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
      .action(async (options: VerifyOptions) => (await import('./verify-action.ts')).runVerify(options, context));
  },
};
