import type { RedisClient } from './client.ts';
import type { SessionCache, StoredSession } from '../session-cache.ts';

/**
 * koa-session's external store on ioredis. koa-redis would pin ioredis 4 and its types do not compile
 * against koa-session 7, so this is the three-method store koa-session documents. A session this instance
 * writes or ends leaves its `cache` at once, so the hold path never serves this instance's own stale copy.
 */
export function redisSessionStore(redis: RedisClient, keyPrefix: string, cache?: SessionCache) {
  const key = (sessionId: string) => `${keyPrefix}sess:${sessionId}`;
  return {
    async get(sessionId: string): Promise<StoredSession | undefined> {
      const value = await redis.get(key(sessionId));
      return value ? (JSON.parse(value) as StoredSession) : undefined;
    },
    async set(sessionId: string, session: unknown, maxAgeMs: number | 'session'): Promise<void> {
      const ttl = typeof maxAgeMs === 'number' ? maxAgeMs : 86_400_000;
      cache?.forget(sessionId);
      await redis.set(key(sessionId), JSON.stringify(session), 'PX', ttl);
      // Again: a hold may have read the old value meanwhile.
      cache?.forget(sessionId);
    },
    async destroy(sessionId: string): Promise<void> {
      cache?.forget(sessionId);
      await redis.del(key(sessionId));
      cache?.forget(sessionId);
    },
  };
}
