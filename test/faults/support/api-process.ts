import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil } from '../../support/wait.ts';

const apiBin = fileURLToPath(new URL('../../../bin/api', import.meta.url));

export async function isReady(url: string): Promise<boolean> {
  return fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status === 200, () => false);
}

export interface ApiProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal) once the process is gone. */
  exited: Promise<number | null>;
  /** The last lines the process wrote to stderr, for failure messages. */
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/**
 * One `bin/api` process on a free loopback port, started the way an EC2 instance starts it, and awaited
 * until /readyz answers 200. `nodeArgs` go to node itself (e.g. `--cpu-prof`); `logFile` receives its JSON log lines.
 */
export async function startApiProcess(
  env: Record<string, string>,
  options: { nodeArgs?: string[]; readyTimeoutMs?: number; logFile?: string } = {},
): Promise<ApiProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), apiBin], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', options.logFile ? openSync(options.logFile, 'a') : 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    await waitUntil(`${url} to become ready`, async () => {
      if (gone) throw new Error(`bin/api exited before it was ready: ${stderr}`);
      return isReady(url);
    }, options.readyTimeoutMs ?? 60_000, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return {
    url,
    child,
    exited,
    stderr: () => stderr,
    async kill(signal) {
      if (!gone) child.kill(signal);
      return exited;
    },
  };
}
