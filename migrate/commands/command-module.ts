import type { Command } from 'commander';
import type { OutputStream } from '../progress/output-stream.ts';

export type { OutputStream } from '../progress/output-stream.ts';

/** What a command may use besides its parsed options: passed in, so tests can capture output. */
export interface CommandContext {
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

/**
 * One subcommand of bin/migrate. `register` adds it to the program; its action resolves when done
 * and throws a CliError (see ../errors.ts) for an expected stop: the CLI turns that into an exit code.
 */
export interface CommandModule {
  readonly name: string;
  register(program: Command, context: CommandContext): void;
}
