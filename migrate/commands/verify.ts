import type { CommandModule } from './command-module.ts';
import { CliError } from '../errors.ts';

export const verifyCommand: CommandModule = {
  name: 'verify',
  register(program) {
    program
      .command('verify')
      .description('(being implemented)')
      .option('--json', 'machine-readable output')
      .action(() => {
        throw new CliError('verify is not implemented yet');
      });
  },
};
