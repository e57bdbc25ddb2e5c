import type { Deps } from '../deps.ts';
import { limitCheck, type LimitCheck } from './middleware/rate-limit.ts';

/** The hold route's two limits (HOLD_RATE_LIMIT_PER_USER, HOLD_RATE_LIMIT_PER_IP), shared by its Koa route and its fast path. */
export interface HoldRateLimits {
  perUser?: LimitCheck;
  perIp?: LimitCheck;
}

export function holdRateLimits(deps: Deps): HoldRateLimits {
  const { REDIS_KEY_PREFIX: keyPrefix, HOLD_RATE_LIMIT_PER_USER, HOLD_RATE_LIMIT_PER_IP } = deps.config;
  return {
    perUser: limitCheck(deps.redis, { name: 'hold-user', keyPrefix, points: HOLD_RATE_LIMIT_PER_USER }),
    perIp: limitCheck(deps.redis, { name: 'hold-ip', keyPrefix, points: HOLD_RATE_LIMIT_PER_IP }),
  };
}
