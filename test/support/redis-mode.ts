import { Cluster } from 'ioredis';
import type { RedisClient } from '../../app/infra/redis/client.ts';
import { LocalRedisCluster } from './redis-cluster.ts';

/**
 * Which Redis this test run's platforms use. vitest.config.ts runs the Redis-bound test files twice: as the
 * `default` project on the shared Redis, and as the `redis-cluster` project (TEST_REDIS_MODE=cluster), where
 * each test file gets a local 3-master Redis Cluster of its own and its API instances use REDIS_MODE=cluster.
 */
export const testRedisMode: 'single' | 'cluster' = process.env.TEST_REDIS_MODE === 'cluster' ? 'cluster' : 'single';

let cluster: Promise<LocalRedisCluster> | undefined;
let users = 0;

/** The environment that points an API instance at this run's Redis; pair with releaseTestRedis. */
export async function acquireTestRedis(): Promise<Record<string, string>> {
  if (testRedisMode === 'single') return { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' };
  users++;
  cluster ??= LocalRedisCluster.start();
  return { REDIS_URL: (await cluster).url, REDIS_MODE: 'cluster' };
}

/** The last platform of the file that stopped takes the cluster down with it. */
export async function releaseTestRedis(): Promise<void> {
  if (testRedisMode === 'single' || --users > 0 || !cluster) return;
  const stopping = cluster;
  cluster = undefined;
  await (await stopping).close();
}

/** KEYS `pattern` on one Redis, or on every master of a cluster (KEYS answers for its own node only). */
export async function redisKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  return (await Promise.all(nodes.map((node) => node.keys(pattern)))).flat();
}

/** Deletes `keys` one command each, so a cluster never sees a multi-key DEL across slots. */
export async function deleteRedisKeys(redis: RedisClient, keys: string[]): Promise<void> {
  await Promise.all(keys.map((key) => redis.del(key)));
}

/** The address of every node of this run's Redis (one for the shared Redis); call after acquireTestRedis. */
export async function testRedisNodeUrls(): Promise<string[]> {
  if (testRedisMode === 'single' || !cluster) return [process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'];
  return (await cluster).ports.map((port) => `redis://127.0.0.1:${port}`);
}
