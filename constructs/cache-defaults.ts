import type { CacheProps } from './cache.ts';
import { DEFAULT_PORTS, isProduction } from './platform-defaults.ts';

/**
 * ElastiCache Serverless (Valkey, Redis OSS) listens on fixed ports: 6379 for its endpoint, 6380 for its reader
 * endpoint (reads from replicas). Neither can be changed.
 */
export const SERVERLESS_CACHE_PORTS = { endpoint: 6379, reader: 6380 } as const;

/** The default major engine version of a serverless cache, per engine. */
const SERVERLESS_MAJOR_VERSIONS = { valkey: '8', redis: '7' } as const;

/** Defaults of {@link CacheProps}, in one place. */
export function cacheDefaults(props: CacheProps) {
  const production = isProduction(props);
  const deployment = props.deployment ?? 'replication-group';
  const serverless = deployment === 'serverless';
  // Serverless is always cluster mode: one endpoint that answers CLUSTER SLOTS.
  const clusterMode = serverless || (props.clusterMode ?? false);
  const serverlessEngine = props.serverlessEngine ?? 'valkey';
  const replicasPerShard = props.replicasPerShard ?? (production ? 1 : 0);
  return {
    production,
    deployment,
    clusterMode,
    port: serverless ? SERVERLESS_CACHE_PORTS.endpoint : (props.port ?? DEFAULT_PORTS.cache),
    nodeType: props.nodeType ?? 'cache.r7g.large',
    engineVersion: props.engineVersion ?? '7.1',
    replicasPerShard,
    shards: props.shards ?? (clusterMode ? 2 : 1),
    // Multi-AZ needs a replica to fail over to.
    multiAz: replicasPerShard > 0,
    snapshotRetentionDays: props.snapshotRetentionDays ?? 15,
    keyPrefix: props.keyPrefix ?? 'tk:',
    apiUserName: props.apiUserName ?? 'ticketkit-api',
    serverlessEngine,
    serverlessMajorVersion: props.engineVersion ?? SERVERLESS_MAJOR_VERSIONS[serverlessEngine],
    // A cost ceiling, not a size: the cache grows to it on demand, and the monitoring alarms at 75 % of it.
    maxDataStorageGB: props.maxDataStorageGB ?? (production ? 50 : 5),
    maxEcpuPerSecond: props.maxEcpuPerSecond ?? (production ? 1_000_000 : 100_000),
    // UTC; after the evening on-sales, before the morning ones.
    dailySnapshotTime: '04:00',
  };
}

export type CacheSettings = ReturnType<typeof cacheDefaults>;

export function validateCache(settings: CacheSettings, props: CacheProps): void {
  if (settings.deployment === 'serverless') validateServerless(settings, props);
  else validateReplicationGroup(settings, props);
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

/** Serverless has no nodes, shards, replicas or port to choose: a prop that sets one is refused, not ignored. */
function validateServerless(settings: CacheSettings, props: CacheProps): void {
  const nodeProps = { nodeType: props.nodeType, replicasPerShard: props.replicasPerShard, shards: props.shards };
  for (const [name, value] of Object.entries(nodeProps)) {
    if (value !== undefined) throw new Error(`Cache: ${name} does not apply to deployment: 'serverless' (ElastiCache scales a serverless cache itself); remove it or use deployment: 'replication-group'.`);
  }
  if (props.clusterMode === false) {
    throw new Error("Cache: clusterMode: false is impossible with deployment: 'serverless' (a serverless cache is always cluster mode); remove clusterMode.");
  }
  if (props.port !== undefined && props.port !== SERVERLESS_CACHE_PORTS.endpoint) {
    throw new Error(`Cache: port ${props.port} is impossible with deployment: 'serverless', which listens on ${SERVERLESS_CACHE_PORTS.endpoint} (and ${SERVERLESS_CACHE_PORTS.reader} for its reader endpoint); remove port.`);
  }
  if (!/^\d+$/.test(settings.serverlessMajorVersion) || Number(settings.serverlessMajorVersion) < 7) {
    throw new Error(`Cache: engineVersion "${settings.serverlessMajorVersion}" is invalid for a serverless cache; give a major version, 7 or later, e.g. "${SERVERLESS_MAJOR_VERSIONS[settings.serverlessEngine]}".`);
  }
  if (!Number.isInteger(settings.maxDataStorageGB) || settings.maxDataStorageGB < 1 || settings.maxDataStorageGB > 5000) {
    throw new Error(`Cache: maxDataStorageGB ${settings.maxDataStorageGB} is invalid; use 1-5000 (GB).`);
  }
  if (!Number.isInteger(settings.maxEcpuPerSecond) || settings.maxEcpuPerSecond < 1000 || settings.maxEcpuPerSecond > 15_000_000) {
    throw new Error(`Cache: maxEcpuPerSecond ${settings.maxEcpuPerSecond} is invalid; use 1000-15000000.`);
  }
}

function validateReplicationGroup(settings: CacheSettings, props: CacheProps): void {
  const serverlessProps = { serverlessEngine: props.serverlessEngine, maxDataStorageGB: props.maxDataStorageGB, maxEcpuPerSecond: props.maxEcpuPerSecond };
  for (const [name, value] of Object.entries(serverlessProps)) {
    if (value !== undefined) throw new Error(`Cache: ${name} applies to deployment: 'serverless' only; remove it or set deployment: 'serverless'.`);
  }
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
}
