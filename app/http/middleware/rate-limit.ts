import type { Redis } from 'ioredis';
import type { Middleware } from 'koa';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { errors } from '../../errors.ts';
import type { AppContext, AppState } from '../context.ts';

/**
 * A per-minute limit shared by every instance (counters in Redis). `perMinute` 0 disables it.
 * `keyOf` picks what is limited: the user, the client IP.
 */
export function rateLimit(
  redis: Redis,
  options: { name: string; keyPrefix: string; perMinute: number; keyOf: (ctx: AppContext) => string | number | undefined },
): Middleware<AppState> {
  if (options.perMinute === 0) return (_ctx, next) => next();
  const limiter = new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.keyPrefix}rl:${options.name}`,
    points: options.perMinute,
    duration: 60,
  });
  return async (ctx, next) => {
    const key = options.keyOf(ctx);
    if (key !== undefined) {
      try {
        await limiter.consume(String(key));
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) throw errors.rateLimited(Math.ceil(rejection.msBeforeNext / 1000));
        throw rejection;
      }
    }
    await next();
  };
}
