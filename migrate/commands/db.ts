import type { CommandModule } from './command-module.ts';
import { CliError } from '../errors.ts';

export const dbCommand: CommandModule = {
  name: 'db',
  register(program) {
    program
      .command('db')
      .description('(being implemented)')
      .option('--json', 'machine-readable output')
      .action(() => {
        throw new CliError('db is not implemented yet');
      });
  },
};
