import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort, waitUntil } from '../../test/support/wait.ts';

export interface NodeProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a TypeScript file of this folder as its own Node process on a free port; ready when `readyPath` answers 200. */
export async function startScript(file: string, env: Record<string, string>, readyPath = '/ping'): Promise<NodeProcess> {
  const port = await freePort();
  const script = fileURLToPath(new URL(file, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'inherit' });
  const url = `http://127.0.0.1:${port}`;
  await waitUntil(`${file} to listen`, () => fetch(url + readyPath).then((r) => r.ok, () => false), 30_000, 100);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    url,
    child,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
