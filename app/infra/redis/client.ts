import { Cluster, Redis, type RedisOptions } from 'ioredis';
import type { CredentialSource } from '../credentials/credential-source.ts';
import { connectClusterWithCredentials, connectWithCredentials } from './credentialed-connect.ts';

/** The API's Redis client: one Redis (REDIS_MODE=single) or a Redis Cluster (REDIS_MODE=cluster). */
export type RedisClient = Redis | Cluster;
export type RedisMode = 'single' | 'cluster';
/** What a Lua script of the API answers, as ioredis gives it. */
export type ScriptReply = string | number | null | ScriptReply[];

/**
 * What each connection does, to one Redis or to each cluster node: fail fast and reconnect by itself.
 * While Redis is unreachable a command is rejected at once (no offline queue) or after `commandTimeout`,
 * so the API answers 503 within 2 s instead of hanging.
 */
const connectionOptions = {
  // No CLIENT SETINFO on connect: one command less for the ACL user to be allowed (Redis >= 7.2 has it).
  disableClientInfo: true,
  maxRetriesPerRequest: 1,
  commandTimeout: 1_500,
  connectTimeout: 2_000,
} satisfies RedisOptions;
const retryStrategy = (attempt: number) => Math.min(100 * attempt, 1_000);

/**
 * A Redis client. `rediss://user:password@host:port/db` gives TLS + AUTH (ElastiCache); the database
 * number is honoured (single mode; a cluster has database 0 only, app/config.ts refuses another).
 * In cluster mode REDIS_URL is one seed node (on AWS the configuration endpoint): the client reads the
 * slot map from it and talks to every master itself. With `credentials`, each (re)connection
 * authenticates with what that source says then (rotation).
 */
export function createRedisClient(
  redisUrl: string,
  options: { mode?: RedisMode; lazyConnect?: boolean; credentials?: CredentialSource } = {},
): RedisClient {
  const lazyConnect = options.lazyConnect ?? Boolean(options.credentials);
  if (options.mode === 'cluster') {
    const cluster = createClusterClient(redisUrl, lazyConnect);
    if (options.credentials) connectClusterWithCredentials(cluster, options.credentials);
    return cluster;
  }
  const redis = new Redis(redisUrl, {
    ...connectionOptions,
    lazyConnect,
    enableOfflineQueue: false,
    retryStrategy,
    // Commands issued in the same event-loop turn (session reads, hold scripts of concurrent requests)
    // leave in one write: under an on-sale spike socket writes were the largest self time (docs/onsale.md).
    enableAutoPipelining: true,
  });
  if (options.credentials) connectWithCredentials(redis, options.credentials);
  return redis;
}

function createClusterClient(redisUrl: string, lazyConnect: boolean): Cluster {
  const url = new URL(redisUrl);
  return new Cluster([{ host: url.hostname, port: Number(url.port || 6379) }], {
    lazyConnect,
    // A command while the slot map is unknown (start-up, every node lost) fails at once: a 503, not a wait.
    enableOfflineQueue: false,
    // Off: auto-pipelined batches answer MOVED per command after a failover or a resharding, and ioredis
    // redirects only whole pipelines, so those commands fail (redis/ioredis#2075; seen as 500s in
    // test/faults/redis-cluster-failover.test.ts). Each command is redirected on its own instead.
    enableAutoPipelining: false,
    clusterRetryStrategy: retryStrategy,
    // ElastiCache with TLS: keep the configuration endpoint's name, so the certificate is checked against it
    // (its addresses are not in the certificate).
    dnsLookup: (address, callback) => callback(null, address),
    // A killed master: its commands are retried on a fresh slot map every 100 ms (ioredis' default) until its
    // replica is promoted or the redirections run out (then a 503); the map is also re-read every 5 s.
    slotsRefreshInterval: 5_000,
    slotsRefreshTimeout: 1_500,
    redisOptions: {
      ...connectionOptions,
      username: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
      // ElastiCache in-transit encryption; the server name comes from the node's host name (dnsLookup above).
      tls: url.protocol === 'rediss:' ? {} : undefined,
    },
  });
}

/** Resolves once the client is connected (or rejects after `timeoutMs`). */
export async function waitForRedis(redis: RedisClient, timeoutMs: number): Promise<void> {
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
