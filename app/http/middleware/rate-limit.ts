import type { RedisClient } from '../../infra/redis/client.ts';
import type { Middleware } from 'koa';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { errors } from '../../errors.ts';
import type { AppContext, AppState } from '../context.ts';

export interface RateLimitOptions {
  name: string;
  keyPrefix: string;
  /** Requests allowed per window; 0 disables the limit. */
  points: number;
  /** @default 60 */
  windowSeconds?: number;
}

/** A fixed-window limit shared by every instance (counters in Redis); `undefined` when `points` is 0. */
function limiter(redis: RedisClient, options: RateLimitOptions): RateLimiterRedis | undefined {
  if (options.points === 0) return undefined;
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${options.keyPrefix}rl:${options.name}`,
    points: options.points,
    duration: options.windowSeconds ?? 60,
  });
}

async function consume(limit: RateLimiterRedis, key: string): Promise<void> {
  try {
    await limit.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) throw errors.rateLimited(Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}

/** Takes a point of `key`'s limit, or throws `rate_limited` (429) when none is left. */
export type LimitCheck = (key: string) => Promise<void>;

/** The limit as a check of its own (shared by a route's middleware and the hold fast path); `undefined` when `points` is 0. */
export function limitCheck(redis: RedisClient, options: RateLimitOptions): LimitCheck | undefined {
  const limit = limiter(redis, options);
  return limit && ((key) => consume(limit, key));
}

/** Limits every request before it is read by `check`. `keyOf` picks what is limited (`undefined`: not limited). */
export function limitedBy(check: LimitCheck | undefined, keyOf: (ctx: AppContext) => string | number | undefined): Middleware<AppState> {
  if (!check) return (_ctx, next) => next();
  return async (ctx, next) => {
    const key = keyOf(ctx);
    if (key !== undefined) await check(String(key));
    await next();
  };
}

/**
 * Limits every request before it is read. `keyOf` picks what is limited: the user, the client IP
 * (`undefined`: not limited).
 */
export function rateLimit(
  redis: RedisClient,
  options: RateLimitOptions & { keyOf: (ctx: AppContext) => string | number | undefined },
): Middleware<AppState> {
  return limitedBy(limitCheck(redis, options), options.keyOf);
}

/**
 * Limits the attempts of a use case that `counts`: an attempt takes a point up front (so concurrent
 * attempts cannot overtake the limit) and gets it back when its outcome does not count, e.g. a
 * successful login or a request refused as malformed.
 */
export function attemptLimit(
  redis: RedisClient,
  options: RateLimitOptions & { counts: (outcome: { ok: true } | { ok: false; error: unknown }) => boolean },
): <T>(key: string, attempt: () => Promise<T>) => Promise<T> {
  const limit = limiter(redis, options);
  if (!limit) return (_key, attempt) => attempt();
  const refund = (key: string) => limit.reward(key, 1).catch(() => undefined);
  return async (key, attempt) => {
    await consume(limit, key);
    let result;
    try {
      result = await attempt();
    } catch (error) {
      if (!options.counts({ ok: false, error })) await refund(key);
      throw error;
    }
    if (!options.counts({ ok: true })) await refund(key);
    return result;
  };
}
