import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import { createTestBucket, localS3Client } from '../support/s3.ts';
import { freePort } from '../support/wait.ts';

const localBin = fileURLToPath(new URL('../../bin/local', import.meta.url));
/** What a newcomer may wait for a verdict; the child is killed after it, which fails the exit-code check. */
const verdictWithinMs = 10_000;

let database: TestDatabase;
let bucket: string;
beforeAll(async () => {
  database = await createTestDatabase();
  bucket = await createTestBucket(localS3Client());
});
afterAll(() => database?.drop());

/** `npm start` (node bin/local) on the test's database and bucket, with `env` on top; its exit code and output. */
async function npmStart(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderrLines: string[] }> {
  const child = spawn(process.execPath, [localBin], {
    env: {
      ...process.env,
      DATABASE_URL: database.url,
      REDIS_URL: 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: 'tk-local-start:',
      S3_ENDPOINT: inject('s3Endpoint'),
      S3_BUCKET: bucket,
      PORT: String(await freePort()),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: verdictWithinMs,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderrLines: stderr.split('\n').filter(Boolean) };
}

describe('npm start when something it needs is missing', () => {
  it('stops with exit code 2 and one line naming the Redis URL (password masked) and the cause', async () => {
    const port = await freePort(); // nothing listens there
    const result = await npmStart({ REDIS_URL: `redis://:s3cret-token@127.0.0.1:${port}` });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([`npm start: cannot reach Redis at redis://:***@127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}`]);
    expect(result.stdout).toBe('');
  });

  it('stops with exit code 2 and one line naming the MySQL URL (password masked) and the cause', async () => {
    const port = await freePort();
    const result = await npmStart({ DATABASE_URL: `mysql://root:s3cret-pw@127.0.0.1:${port}/ticketkit` });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([`npm start: cannot reach MySQL at mysql://root:***@127.0.0.1:${port}/ticketkit: connect ECONNREFUSED 127.0.0.1:${port}`]);
  });

  it('names both in the one line when MySQL and Redis are both down', async () => {
    const [mysqlPort, redisPort] = [await freePort(), await freePort()];
    const result = await npmStart({ DATABASE_URL: `mysql://root@127.0.0.1:${mysqlPort}/x`, REDIS_URL: `redis://127.0.0.1:${redisPort}` });
    expect(result.code).toBe(2);
    expect(result.stderrLines).toEqual([expect.stringMatching(/^npm start: cannot reach MySQL at .*; cannot reach Redis at redis:\/\/127\.0\.0\.1:\d+: connect ECONNREFUSED/)]);
  });

  it('stops with exit code 2 and one line when its port is taken, saying how to pick another', async () => {
    const taken = createServer().listen(0, '0.0.0.0');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const result = await npmStart({ PORT: String(port) });
      expect(result.code).toBe(2);
      expect(result.stderrLines).toEqual([
        `npm start: cannot listen on port ${port}: listen EADDRINUSE: address already in use 0.0.0.0:${port} (set PORT to use another port, e.g. PORT=3001 npm start)`,
      ]);
    } finally {
      taken.close();
    }
  });
});
