import { setTimeout as sleep } from 'node:timers/promises';
import { classifyError } from './error-class.ts';

/** How often and how patiently an operation is tried again; the same shape for S3 requests and MySQL transactions. */
export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  readonly attempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default 10000 */
  readonly maxDelayMs?: number;
  /** Called before each wait, e.g. to count retries or undo the progress of the failed attempt. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void | Promise<void>;
}

/**
 * For a MySQL transaction that met a deadlock, a lock wait timeout or a dropped connection (a chunk, an
 * index build, a batch of binlog events): up to 8 attempts, waits growing from 250 ms to at most 8 s.
 */
export const TRANSACTION_RETRY: RetryPolicy = { attempts: 8, baseDelayMs: 250, maxDelayMs: 8_000 };

/**
 * Runs `operation` again after a retryable failure (see classifyError: the one place that decides),
 * waiting an exponentially growing, jittered delay ("full jitter"), so many workers that failed
 * together (throttled, or all deadlocked on one table) do not come back together. Bounded: after
 * `attempts` the last error is thrown; a fatal or non-retryable error is thrown at once.
 */
export async function withRetries<T>(operation: (attempt: number) => Promise<T>, policy: RetryPolicy = {}): Promise<T> {
  const attempts = policy.attempts ?? 5;
  const base = policy.baseDelayMs ?? 200;
  const max = policy.maxDelayMs ?? 10_000;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= attempts || classifyError(error) !== 'retryable') throw error;
      const delayMs = Math.round(Math.random() * Math.min(max, base * 2 ** (attempt - 1)));
      await policy.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
