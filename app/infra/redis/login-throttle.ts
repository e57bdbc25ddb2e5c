import { readFileSync } from 'node:fs';
import type { RedisClient } from './client.ts';

/**
 * Whose failed logins count together: an account (`account`, a keyed hash of the address as the
 * database compares it), or one browser that logged in to it before (`device`, the nonce of its device
 * cookie), which is counted apart and so is not locked out by someone else's guesses.
 */
export interface LoginBucket {
  account: string;
  device?: string;
}

export interface LoginThrottleOptions {
  /** Failed logins before a bucket is blocked (LOGIN_THROTTLE_FAILURES); 0 disables the throttle. */
  failures: number;
  /** The longest wait (LOGIN_THROTTLE_MAX_SECONDS), in ms. */
  maxWaitMs: number;
}

/** The first wait once the allowed failures are spent; it doubles with each further failure. */
export const firstWaitMs = 30_000;
/** How long failures are remembered after the last one. */
export const failureMemoryMs = 24 * 60 * 60 * 1000;

type Script = 'loginAttempt' | 'loginWait';
const scripts: Record<Script, string> = { loginAttempt: 'login-attempt.lua', loginWait: 'login-wait.lua' };

/**
 * Per-account login throttling shared by every instance (OWASP ASVS 2.2.1). Keys never hold an email:
 * `<prefix>login:{<account>}` and `<prefix>login:{<account>}:d:<device>`, one hash tag per account, and
 * each script touches one key (Redis Cluster ready).
 */
export class LoginThrottle {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly options: LoginThrottleOptions,
  ) {
    for (const [name, file] of Object.entries(scripts)) {
      if (name in redis) continue;
      redis.defineCommand(name, { numberOfKeys: 1, lua: readFileSync(new URL(`./lua/${file}`, import.meta.url), 'utf8') });
    }
  }

  get enabled(): boolean {
    return this.options.failures > 0;
  }

  key(bucket: LoginBucket): string {
    return `${this.prefix}login:{${bucket.account}}${bucket.device ? `:d:${bucket.device}` : ''}`;
  }

  /** Ms the bucket must still wait (0: none), without counting anything. */
  async waitMs(bucket: LoginBucket): Promise<number> {
    if (!this.enabled) return 0;
    return Number(await this.run('loginWait', [this.key(bucket)]));
  }

  /** Counts an attempt as failed until `succeeded`; returns the ms to wait instead (then nothing is counted). */
  async attempt(bucket: LoginBucket): Promise<number> {
    if (!this.enabled) return 0;
    const { failures, maxWaitMs } = this.options;
    return Number(await this.run('loginAttempt', [this.key(bucket), failures, Math.min(firstWaitMs, maxWaitMs), maxWaitMs, failureMemoryMs]));
  }

  /** A successful login: the bucket starts afresh. */
  async succeeded(bucket: LoginBucket): Promise<void> {
    if (this.enabled) await this.redis.del(this.key(bucket));
  }

  private run(name: Script, args: (string | number)[]): Promise<unknown> {
    const command = (this.redis as unknown as Record<Script, (...a: (string | number)[]) => Promise<unknown>>)[name];
    return command.apply(this.redis, args);
  }
}
