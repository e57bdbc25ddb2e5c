import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LEGACY_BUYER } from '../../migrate/fixtures/legacy-dataset.ts';
import { freePort } from '../../test/support/wait.ts';

const API_BIN = fileURLToPath(new URL('../../bin/api', import.meta.url));

async function waitForReady(base: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited()) throw new Error('bin/api exited during start-up');
    try {
      if ((await fetch(`${base}/readyz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error('bin/api not ready within 60 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Starts bin/api on the migrated legacy database (it adds schema v2 on start), logs in as a
 * migrated buyer with the legacy bcrypt password and lists their old orders.
 */
export async function runApiDemo(options: { databaseUrl: string }): Promise<string[]> {
  if (!existsSync(API_BIN)) throw new Error('bin/api is not there yet');
  const port = await freePort();
  const child = spawn(API_BIN, [], {
    env: { ...process.env, DATABASE_URL: options.databaseUrl, PORT: String(port), REDIS_KEY_PREFIX: `tkbench${port}:`, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(base, () => child.exitCode !== null).catch((error: Error) => {
      throw new Error(`${error.message}: ${stderr.trim().split('\n').slice(-2).join(' ')}`);
    });
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: LEGACY_BUYER.email, password: LEGACY_BUYER.password }),
    });
    if (!login.ok) throw new Error(`login as ${LEGACY_BUYER.email} failed: HTTP ${login.status} ${await login.text()}`);
    const cookie = login.headers
      .getSetCookie()
      .map((value) => value.split(';')[0])
      .join('; ');
    const orders = await fetch(`${base}/api/orders`, { headers: { cookie } });
    if (!orders.ok) throw new Error(`GET /api/orders failed: HTTP ${orders.status} ${await orders.text()}`);
    const body = (await orders.json()) as { orders: Record<string, unknown>[] };
    return [
      `API on the migrated database: POST /api/auth/login as ${LEGACY_BUYER.email} (legacy bcrypt hash) -> HTTP ${login.status}`,
      `GET /api/orders -> HTTP ${orders.status}, ${body.orders.length} old orders; first: ${JSON.stringify(body.orders[0]).slice(0, 300)}`,
    ];
  } finally {
    child.kill('SIGTERM');
  }
}
