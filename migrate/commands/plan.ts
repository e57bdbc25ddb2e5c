import type { CommandModule } from './command-module.ts';
import { CliError } from '../errors.ts';

export const planCommand: CommandModule = {
  name: 'plan',
  register(program) {
    program
      .command('plan')
      .description('(being implemented)')
      .option('--json', 'machine-readable output')
      .action(() => {
        throw new CliError('plan is not implemented yet');
      });
  },
};
