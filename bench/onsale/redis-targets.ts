import { configSchema } from '../../app/config.ts';

/** The Redis a set of API instances runs on: one column of the report. */
export interface RedisTarget {
  label: string;
  url: string;
  mode: 'single' | 'cluster';
  /** Environment for `bin/api` (REDIS_MODE only when not single, so an API without the setting starts too). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** The local Redis (BENCH_REDIS_URL, default the shared 127.0.0.1:6379). */
export function singleRedis(url = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379'): RedisTarget {
  return { label: 'single Redis', url, mode: 'single', env: { REDIS_URL: url }, stop: async () => undefined };
}

/** Whether this checkout's API accepts REDIS_MODE=cluster (its config schema says so). */
export function apiSpeaksCluster(): boolean {
  const parsed = configSchema.safeParse({ REDIS_MODE: 'cluster' });
  return parsed.success && (parsed.data as Record<string, unknown>).REDIS_MODE === 'cluster';
}

/** What the bench needs of test/support/redis-cluster.ts (a local 3-master cluster, no Docker). */
interface LocalCluster {
  url: string;
  close(): Promise<void>;
}

/**
 * A local 3-master Redis Cluster as a second column, when the API accepts REDIS_MODE=cluster; otherwise
 * undefined and the report shows single Redis only (BENCH_REDIS_CLUSTER=0 skips it on purpose). The module
 * is found at run time, so the bench also runs on a checkout without it.
 */
export async function clusterRedis(): Promise<RedisTarget | undefined> {
  if (process.env.BENCH_REDIS_CLUSTER === '0' || !apiSpeaksCluster()) return undefined;
  const module = '../../test/support/redis-cluster.ts';
  const { LocalRedisCluster } = (await import(module)) as { LocalRedisCluster: { start(): Promise<LocalCluster> } };
  const cluster = await LocalRedisCluster.start();
  return {
    label: 'Redis Cluster, 3 masters',
    url: cluster.url,
    mode: 'cluster',
    env: { REDIS_URL: cluster.url, REDIS_MODE: 'cluster' },
    stop: () => cluster.close(),
  };
}
