import { Command } from 'commander';
import type { CommandContext, CommandModule } from './commands/command-module.ts';
import { EXIT_OK, toExitOutcome } from './errors.ts';

export interface RunCliOptions extends CommandContext {
  /** Arguments after the program name, e.g. `['db', '--source', '...']`. */
  readonly argv: readonly string[];
  readonly commands: readonly CommandModule[];
}

/** Builds the commander program from the command list; no process access, so tests can run it. */
export function buildProgram(options: RunCliOptions): Command {
  const program = new Command('migrate')
    .description('Move the monolith into AWS: MySQL -> RDS copy with verification, poster files -> S3.')
    .showHelpAfterError(false)
    // Suggestions print on a second line; errors stay one line.
    .showSuggestionAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => options.stdout.write(text),
      writeErr: (text) => options.stderr.write(text),
    });
  for (const command of options.commands) command.register(program, options);
  program.addHelpText(
    'after',
    `
Examples:
  bin/migrate plan --source mysql://root@127.0.0.1:3306/legacy
  bin/migrate db --source mysql://root@127.0.0.1:3306/legacy --target mysql://admin:pw@rds-host:3306/legacy
  bin/migrate <command> --help     every flag of a command, with examples

Exit codes: 0 done (and verified), 1 verification mismatch, 2 usage or connection error.`,
  );
  return program;
}

/** Parses argv, runs one command and returns the process exit code (0 ok, 1 mismatch, 2 usage/connection). */
export async function runCli(options: RunCliOptions): Promise<number> {
  const program = buildProgram(options);
  try {
    if (options.argv.length === 0) {
      program.outputHelp();
      return EXIT_OK;
    }
    await program.parseAsync([...options.argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    const outcome = toExitOutcome(error, options.env.TICKETKIT_DEBUG === '1');
    if (outcome.message) options.stderr.write(`${outcome.message}\n`);
    return outcome.exitCode;
  }
}
