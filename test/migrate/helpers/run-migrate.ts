import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../../migrate/cli.ts';
import { commands } from '../../../migrate/commands/index.ts';

export interface MigrateResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs bin/migrate's program in this process with captured output (fast; same code path as the binary). */
export async function runMigrate(args: readonly string[]): Promise<MigrateResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli({
    argv: args,
    env: {},
    stdout: { write: (chunk: string) => ((stdout += chunk), true), isTTY: false },
    stderr: { write: (chunk: string) => ((stderr += chunk), true), isTTY: false },
    commands,
  });
  return { code, stdout, stderr };
}

export const MIGRATE_BIN = fileURLToPath(new URL('../../../bin/migrate', import.meta.url));

/** Starts the real executable (one Node process) so a test can kill -9 it. */
export function spawnMigrate(args: readonly string[]) {
  const child = spawn(MIGRATE_BIN, [...args], { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<MigrateResult & { signal: NodeJS.Signals | null }>((resolve) => {
    child.once('close', (code, signal) => resolve({ code: code ?? -1, signal, stdout, stderr }));
  });
  return { child, done };
}

/** JSON lines printed with --json. */
export function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
