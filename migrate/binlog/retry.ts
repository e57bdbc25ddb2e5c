/**
 * Retryable vs fatal, for the follower's target writes (a small local policy until the shared one
 * lands): deadlocks, lock wait timeouts and dropped connections are retried from the last checkpoint.
 */
const RETRYABLE_ERRNOS = new Set([1213 /* deadlock */, 1205 /* lock wait timeout */, 2006 /* gone away */, 2013 /* lost during query */, 1927 /* connection killed */]);
const RETRYABLE_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'ER_CONNECTION_KILLED']);

export function isRetryable(error: unknown): boolean {
  const { errno, code, fatal } = (error ?? {}) as { errno?: number; code?: string; fatal?: boolean };
  return (errno !== undefined && RETRYABLE_ERRNOS.has(errno)) || (code !== undefined && RETRYABLE_CODES.has(code)) || fatal === true;
}

/** Whether the connection itself is gone (as opposed to a statement that failed on a live one). */
export function isConnectionLost(error: unknown): boolean {
  const { errno, code, fatal } = (error ?? {}) as { errno?: number; code?: string; fatal?: boolean };
  return fatal === true || errno === 2006 || errno === 2013 || errno === 1927 || (code !== undefined && code !== 'ER_LOCK_DEADLOCK' && RETRYABLE_CODES.has(code));
}

export interface RetryOptions {
  /** @default 6 */
  readonly attempts?: number;
  /** @default 200 */
  readonly firstDelayMs?: number;
  readonly onRetry?: (error: unknown, attempt: number) => Promise<void> | void;
}

/** Runs `operation`, retrying retryable failures with exponential backoff (200 ms, 400 ms, ... capped at 5 s). */
export async function withRetries<T>(operation: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 6;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await operation();
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await options.onRetry?.(error, attempt);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, (options.firstDelayMs ?? 200) * 2 ** (attempt - 1))));
    }
  }
}
