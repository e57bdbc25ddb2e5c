import type { CacheProps } from './cache.ts';
import { DEFAULT_PORTS, isProduction } from './platform-defaults.ts';

/** Defaults of {@link CacheProps}, in one place. */
export function cacheDefaults(props: CacheProps) {
  const production = isProduction(props);
  const clusterMode = props.clusterMode ?? false;
  const replicasPerShard = props.replicasPerShard ?? (production ? 1 : 0);
  return {
    production,
    clusterMode,
    port: props.port ?? DEFAULT_PORTS.cache,
    nodeType: props.nodeType ?? 'cache.r7g.large',
    engineVersion: props.engineVersion ?? '7.1',
    replicasPerShard,
    shards: props.shards ?? (clusterMode ? 2 : 1),
    // Multi-AZ needs a replica to fail over to.
    multiAz: replicasPerShard > 0,
    snapshotRetentionDays: props.snapshotRetentionDays ?? 15,
    keyPrefix: props.keyPrefix ?? 'tk:',
    apiUserName: props.apiUserName ?? 'ticketkit-api',
  };
}

export type CacheSettings = ReturnType<typeof cacheDefaults>;

export function validateCache(settings: CacheSettings): void {
  if (!Number.isInteger(settings.replicasPerShard) || settings.replicasPerShard < 0 || settings.replicasPerShard > 5) {
    throw new Error(`Cache: replicasPerShard ${settings.replicasPerShard} is invalid; use 0-5.`);
  }
  if (settings.production && settings.replicasPerShard < 1) {
    throw new Error(`Cache: replicasPerShard ${settings.replicasPerShard} gives production no failover target; use at least 1 in production (or set production: false).`);
  }
  if (!settings.clusterMode && settings.shards !== 1) {
    throw new Error(`Cache: shards ${settings.shards} needs clusterMode: true; without cluster mode there is exactly one shard.`);
  }
  if (!Number.isInteger(settings.shards) || settings.shards < 1 || settings.shards > 500) {
    throw new Error(`Cache: shards ${settings.shards} is invalid; use 1-500.`);
  }
  if (settings.port === 6379 || !Number.isInteger(settings.port) || settings.port < 1024 || settings.port > 65_535) {
    throw new Error(`Cache: port ${settings.port} is invalid; use a non-default port between 1024 and 65535 (e.g. ${DEFAULT_PORTS.cache}).`);
  }
  if (!/^\d+(\.\d+)?$/.test(settings.engineVersion) || Number(settings.engineVersion.split('.')[0]) < 6) {
    throw new Error(`Cache: engineVersion "${settings.engineVersion}" is invalid; use Redis 6 or later, e.g. "7.1".`);
  }
  if (!/^[A-Za-z0-9:_-]{1,32}$/.test(settings.keyPrefix)) {
    throw new Error(`Cache: keyPrefix "${settings.keyPrefix}" is invalid; use 1-32 letters, digits, ':', '_' or '-' (the API's REDIS_KEY_PREFIX), e.g. "tk:".`);
  }
  if (!/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(settings.apiUserName) || settings.apiUserName === 'default') {
    throw new Error(`Cache: apiUserName "${settings.apiUserName}" is invalid; start with a letter, then letters, digits, '_' or '-', and not "default".`);
  }
  if (!Number.isInteger(settings.snapshotRetentionDays) || settings.snapshotRetentionDays < 1 || settings.snapshotRetentionDays > 35) {
    throw new Error(`Cache: snapshotRetentionDays ${settings.snapshotRetentionDays} is invalid; use 1-35 so the cache has automatic backups.`);
  }
}
