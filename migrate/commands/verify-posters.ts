import type { CommandModule } from './command-module.ts';
import { parsePosterOptions, type RawPosterOptions } from './poster-options.ts';
import { addPosterSourceOptions } from './posters.ts';

export const verifyPostersCommand: CommandModule = {
  name: 'verify-posters',
  register(program, context) {
    addPosterSourceOptions(
      program
        .command('verify-posters')
        .description('Check that every poster file has a matching object and every rewritten row points at one (exit 1 if not)'),
    ).action(async (raw: RawPosterOptions) => {
      const options = parsePosterOptions(raw, context.env);
      const { runVerifyPosters } = await import('./verify-posters-action.ts');
      await runVerifyPosters(options, context);
    });
  },
};
