import type { Cluster, Redis } from 'ioredis';
import type { CredentialSource, Credentials } from '../credentials/credential-source.ts';

/** Redis refused the user or password (the AUTH or HELLO of a new connection). */
export function isRedisAuthError(error: unknown): boolean {
  return /^(WRONGPASS|NOAUTH|NOPERM this user has no permissions to run the 'auth')/.test((error as Error | null)?.message ?? '');
}

/**
 * Makes every (re)connection of `redis` authenticate with what `source` says at that moment; the client
 * must have been created with `lazyConnect`. ioredis reads `options.username` / `options.password`
 * when a connection attempt starts (its first connect, and each reconnect after a drop or a refused
 * AUTH), always through the instance's `connect()`: so `connect()` is wrapped to ask the source first,
 * asynchronously. A refused AUTH (WRONGPASS) makes the source read again before the next attempt.
 * Rotation adds the new password before removing the old (`ACL SETUSER u >new`, later `<old`), so open
 * connections, which Redis never re-checks, and reconnects in between both keep working.
 */
export function connectWithCredentials(redis: Redis, source: CredentialSource): void {
  const connect = redis.connect.bind(redis);
  let presented: Credentials | undefined;
  let refreshing: Promise<unknown> | undefined;
  let connecting: Promise<void> | undefined;

  redis.on('error', (error: Error) => {
    if (!presented || !isRedisAuthError(error)) return;
    const rejected = presented;
    refreshing ??= source.refresh(rejected).catch(() => undefined).finally(() => (refreshing = undefined));
  });

  const connectNow = async (): Promise<void> => {
    const status = redis.status;
    await refreshing;
    const credentials = await source.current();
    // Closed (quit) or connected by another path while the source answered: nothing to do.
    if (redis.status !== status) return;
    presented = credentials;
    redis.options.username = credentials.user || undefined;
    redis.options.password = credentials.password;
    await connect();
  };

  redis.connect = ((callback?: (error?: Error | null) => void) => {
    connecting ??= connectNow().finally(() => (connecting = undefined));
    if (callback) connecting.then(() => callback(null), callback);
    return connecting;
  }) as Redis['connect'];
  // Start now, as a client without lazyConnect would: the first command need not wait for it.
  redis.connect().catch(() => undefined);
}

/**
 * The same for a Redis Cluster client (also created with `lazyConnect`): ioredis creates one connection
 * per node as it learns the slot map (and again after a failover), each from the cluster's node options.
 * So the source is asked before each connection of the cluster as a whole, and every node connection made
 * then presents that answer; a node that refuses it makes the source read again for the nodes after it.
 */
export function connectClusterWithCredentials(cluster: Cluster, source: CredentialSource): void {
  const connect = cluster.connect.bind(cluster);
  let presented: Credentials | undefined;
  let refreshing: Promise<unknown> | undefined;
  let connecting: Promise<void> | undefined;

  cluster.on('+node', (node: Redis) => {
    if (!presented) return;
    node.options.username = presented.user || undefined;
    node.options.password = presented.password;
  });
  cluster.on('node error', (error: Error) => {
    if (!presented || !isRedisAuthError(error) || refreshing) return;
    const rejected = presented;
    refreshing = source
      .refresh(rejected)
      .then(() => source.current())
      .then((credentials) => (presented = credentials))
      .catch(() => undefined)
      .finally(() => (refreshing = undefined));
  });

  const connectNow = async (): Promise<void> => {
    const status = cluster.status;
    await refreshing;
    const credentials = await source.current();
    if (cluster.status !== status) return;
    presented = credentials;
    await connect();
  };

  cluster.connect = (() => (connecting ??= connectNow().finally(() => (connecting = undefined)))) as Cluster['connect'];
  cluster.connect().catch(() => undefined);
}
