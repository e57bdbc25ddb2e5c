import { Redis } from 'ioredis';
import type { CredentialSource } from '../credentials/credential-source.ts';
import { connectWithCredentials } from './credentialed-connect.ts';

/**
 * A Redis client that fails fast: while Redis is unreachable a command is rejected at once (no offline queue)
 * or after `commandTimeout`, so the API answers 503 within 2 s instead of hanging, and reconnects by itself.
 * `rediss://user:password@host:port/db` gives TLS + AUTH (ElastiCache); the database number is honoured.
 * With `credentials`, each (re)connection authenticates with what that source says then (rotation).
 */
export function createRedisClient(redisUrl: string, options: { lazyConnect?: boolean; credentials?: CredentialSource } = {}): Redis {
  const redis = new Redis(redisUrl, {
    lazyConnect: options.lazyConnect ?? Boolean(options.credentials),
    // No CLIENT SETINFO on connect: one command less for the ACL user to be allowed (Redis >= 7.2 has it).
    disableClientInfo: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    // Commands issued in the same event-loop turn (session reads, hold scripts of concurrent requests)
    // leave in one write: under an on-sale spike socket writes were the largest self time (docs/onsale.md).
    enableAutoPipelining: true,
  });
  if (options.credentials) connectWithCredentials(redis, options.credentials);
  return redis;
}

/** Resolves once the client is connected (or rejects after `timeoutMs`). */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  // A lazy client is started here; its connection errors surface as a timeout below (it retries by itself).
  if (redis.status === 'wait') redis.connect().catch(() => undefined);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}

/**
 * One connection attempt and a PING, no retries: for a start-up check that should stop with the cause
 * (`connect ECONNREFUSED …`, `WRONGPASS …`) rather than retry forever as an instance does.
 */
export async function pingRedisOnce(redisUrl: string, timeoutMs: number): Promise<void> {
  let cause: Error | undefined;
  const probe = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // connect() itself only rejects with "Connection is closed."; the error event says why.
  probe.on('error', (error: Error) => {
    cause ??= error;
  });
  try {
    await probe.connect();
    await probe.ping();
  } catch (error) {
    throw cause ?? error;
  } finally {
    probe.disconnect();
  }
}
