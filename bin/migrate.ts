// Composition root of the migrate CLI: the only place that reads argv/env and exits the process.
import { runCli } from '../migrate/cli.ts';
import { commands } from '../migrate/commands/index.ts';

const exitCode = await runCli({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  commands,
});
process.exit(exitCode);
