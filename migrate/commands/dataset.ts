import type { CommandModule } from './command-module.ts';
import { CliError } from '../errors.ts';

export const datasetCommand: CommandModule = {
  name: 'dataset',
  register(program) {
    program
      .command('dataset')
      .description('(being implemented)')
      .option('--json', 'machine-readable output')
      .action(() => {
        throw new CliError('dataset is not implemented yet');
      });
  },
};
