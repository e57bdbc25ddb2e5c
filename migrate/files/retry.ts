import { setTimeout as sleep } from 'node:timers/promises';

/** Network failures worth another attempt: the server may be fine a moment later. */
const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
]);

/** S3 error codes that mean "slow down / try again", whatever the HTTP status. */
const RETRYABLE_S3_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeTooSkewed',
  'InternalError', 'ServiceUnavailable', 'RequestTimeoutException', 'TimeoutError', 'BadDigest',
]);

/** Errors that stop the whole run: retrying or moving to the next file cannot help. */
const FATAL_S3_CODES = new Set([
  'NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled',
  'InvalidBucketName', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'ExpiredToken', 'InvalidToken',
]);

interface ErrorShape {
  code?: unknown;
  name?: unknown;
  Code?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/** The S3 error code (`SlowDown`, `NoSuchBucket`, ...) or socket error code of an error, if any. */
export function errorCodeOf(error: unknown): string | undefined {
  const e = shape(error);
  for (const candidate of [e.Code, e.code, e.name]) if (typeof candidate === 'string' && candidate !== 'Error') return candidate;
  return undefined;
}

/** Like rclone's fserrors: a failure either stops the run, is worth retrying, or fails just this file. */
export type ErrorClass = 'fatal' | 'retryable' | 'file';

export function classifyError(error: unknown): ErrorClass {
  const e = shape(error);
  const code = errorCodeOf(error);
  if (code && FATAL_S3_CODES.has(code)) return 'fatal';
  if (code && (RETRYABLE_S3_CODES.has(code) || RETRYABLE_CODES.has(code))) return 'retryable';
  if (e.$retryable) return 'retryable';
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return 'retryable';
  if (e.cause !== undefined && e.cause !== error) return classifyError(e.cause) === 'retryable' ? 'retryable' : 'file';
  return 'file';
}

export interface RetryPolicy {
  /** Attempts in all, the first included. @default 5 */
  readonly attempts?: number;
  /** @default 200 */
  readonly baseDelayMs?: number;
  /** @default 10000 */
  readonly maxDelayMs?: number;
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * Runs `operation` again after a retryable failure, waiting an exponentially growing, jittered
 * delay ("full jitter"), so many workers throttled together do not come back together.
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
      policy.onRetry?.(error, attempt, delayMs);
      await sleep(delayMs);
    }
  }
}
