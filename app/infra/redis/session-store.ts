import type { RedisClient } from './client.ts';

/**
 * koa-session's external store on ioredis. koa-redis would pin ioredis 4 and its types do not compile
 * against koa-session 7, so this is the three-method store koa-session documents.
 */
export function redisSessionStore(redis: RedisClient, keyPrefix: string) {
  const key = (sessionId: string) => `${keyPrefix}sess:${sessionId}`;
  return {
    async get(sessionId: string): Promise<Record<string, unknown> | undefined> {
      const value = await redis.get(key(sessionId));
      return value ? (JSON.parse(value) as Record<string, unknown>) : undefined;
    },
    async set(sessionId: string, session: unknown, maxAgeMs: number | 'session'): Promise<void> {
      const ttl = typeof maxAgeMs === 'number' ? maxAgeMs : 86_400_000;
      await redis.set(key(sessionId), JSON.stringify(session), 'PX', ttl);
    },
    async destroy(sessionId: string): Promise<void> {
      await redis.del(key(sessionId));
    },
  };
}
