import { Redis } from 'ioredis';

/**
 * A Redis client that fails fast: while Redis is unreachable a command is rejected at once (no offline queue)
 * or after `commandTimeout`, so the API answers 503 within 2 s instead of hanging, and reconnects by itself.
 * `rediss://:token@host:port/db` gives TLS + AUTH (ElastiCache); the database number is honoured.
 */
export function createRedisClient(redisUrl: string, options: { lazyConnect?: boolean } = {}): Redis {
  return new Redis(redisUrl, {
    lazyConnect: options.lazyConnect ?? false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: 1_500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * attempt, 1_000),
    // Commands issued in the same event-loop turn (session reads, hold scripts of concurrent requests)
    // leave in one write: under an on-sale spike socket writes were the largest self time (docs/onsale.md).
    enableAutoPipelining: true,
  });
}

/** Resolves once the client is connected (or rejects after `timeoutMs`). */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  if (redis.status === 'wait') {
    await redis.connect();
    return;
  }
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
