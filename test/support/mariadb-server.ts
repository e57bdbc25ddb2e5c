import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';
import { freePort } from './wait.ts';

/** A throwaway MariaDB server (own datadir, socket and free port): the stand-in for RDS in tests. */
export interface MariadbServer {
  readonly port: number;
  /** mysql://root@127.0.0.1:<port> (no database in the path). */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface MariadbServerOptions {
  /** @default '128M' */
  readonly bufferPoolSize?: string;
  /** @default '48M' */
  readonly redoLogSize?: string;
  /**
   * Start with the server's own defaults for every InnoDB size (buffer pool 128M, redo log 96M on
   * MariaDB 10.11), as a fresh install or a small RDS class has; bufferPoolSize and redoLogSize are ignored.
   * @default false
   */
  readonly serverDefaults?: boolean;
  readonly extraArgs?: readonly string[];
}

const run = promisify(execFile);

function findBinary(name: string): string {
  for (const dir of ['/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin', ...(process.env.PATH ?? '').split(':')]) {
    const candidate = path.join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found: install mariadb-server`);
}

async function waitUntilReady(port: number, child: ChildProcess, errorLog: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => (exited = true));
  for (;;) {
    try {
      const connection = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 2_000 });
      await connection.end();
      return;
    } catch (error) {
      if (exited || Date.now() > deadline) {
        const log = await readFile(errorLog, 'utf8').catch(() => '');
        throw new Error(`mariadbd on port ${port} did not start: ${(error as Error).message}\n${log.slice(-2000)}`);
      }
      // Polling the real condition (a successful connection), not a fixed sleep.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** Initialises a datadir and starts mariadbd on a free loopback port; stop() removes everything. */
export async function startMariadbServer(options: MariadbServerOptions = {}): Promise<MariadbServer> {
  const base = await mkdtemp(path.join(tmpdir(), 'tk-mariadb-'));
  const dataDir = path.join(base, 'data');
  const user = userInfo().username;
  await run(findBinary('mariadb-install-db'), [
    '--no-defaults',
    `--datadir=${dataDir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    `--user=${user}`,
    // Its own tmpdir: parallel bootstraps in the shared /tmp collided on temporary table names.
    `--tmpdir=${base}`,
  ]);
  for (let attempt = 0; ; attempt += 1) {
    const port = await freePort();
    const errorLog = path.join(base, `error-${attempt}.log`);
    const child = spawn(
      findBinary('mariadbd'),
      [
        '--no-defaults',
        `--datadir=${dataDir}`,
        `--user=${user}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${path.join(base, 'mysqld.sock')}`,
        `--pid-file=${path.join(base, 'mysqld.pid')}`,
        `--log-error=${errorLog}`,
        `--tmpdir=${base}`,
        ...(options.serverDefaults
          ? []
          : [`--innodb-buffer-pool-size=${options.bufferPoolSize ?? '128M'}`, `--innodb-log-file-size=${options.redoLogSize ?? '48M'}`]),
        '--local-infile=1',
        '--skip-name-resolve',
        ...(options.extraArgs ?? []),
      ],
      { stdio: 'ignore' },
    );
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    try {
      await waitUntilReady(port, child, errorLog);
    } catch (error) {
      child.kill('SIGKILL');
      process.removeListener('exit', killOnExit);
      // Another process may have taken the port between probe and bind: try a new one.
      if (attempt < 2) continue;
      await rm(base, { recursive: true, force: true });
      throw error;
    }
    return {
      port,
      url: `mysql://root@127.0.0.1:${port}`,
      pid: child.pid!,
      async stop() {
        // Killed by a signal, a child has no exit code but a signal code: it is gone all the same.
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
          await exited;
          clearTimeout(timer);
        }
        process.removeListener('exit', killOnExit);
        await rm(base, { recursive: true, force: true });
      },
    };
  }
}
