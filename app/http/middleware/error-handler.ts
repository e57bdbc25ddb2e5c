import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import { AppError, errors } from '../../errors.ts';
import type { AppState } from '../context.ts';
import type { BusinessMetrics } from '../../metrics/business-metrics.ts';
import { failedDependency, isDependencyFailure } from '../dependency-failure.ts';

/**
 * Every error leaves as `{"error":{code,message,details}}`; an unreachable MySQL or Redis is a 503, never a
 * 500, and is counted per dependency (DependencyUnavailable) for the alarms.
 */
/** The answer to a request that failed with `error`: status, the `{"error":…}` body and a Retry-After value, if any. */
export interface ErrorAnswer {
  status: number;
  body: { error: { code: string; message: string; details?: Record<string, unknown> } };
  retryAfter?: string;
}

/** Turns an error into its answer; counts an unreachable dependency and logs what is not a 4xx of our own. */
export function errorAnswer(error: unknown, logger: Logger, metrics: BusinessMetrics, requestId: string): ErrorAnswer {
  const appError = toAppError(error);
  const dependency = failedDependency(error);
  if (dependency) metrics.count('DependencyUnavailable', 1, { Dependency: dependency });
  if (appError.status >= 500 && !(error instanceof AppError)) {
    logger.error({ err: error, requestId }, appError.status === 503 ? 'dependency unavailable' : 'unexpected error');
  }
  const retryAfterSeconds = appError.details?.retryAfterSeconds;
  const retryAfter = typeof retryAfterSeconds === 'number' ? String(retryAfterSeconds) : appError.status === 503 ? '1' : undefined;
  const body = { error: { code: appError.code, message: appError.message, ...(appError.details ? { details: appError.details } : {}) } };
  return retryAfter === undefined ? { status: appError.status, body } : { status: appError.status, body, retryAfter };
}

export function errorHandler(logger: Logger, metrics: BusinessMetrics): Middleware<AppState> {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) throw errors.notFound('route');
      if (ctx.status === 405 && ctx.body === undefined) {
        throw errors.methodNotAllowed(ctx.method, ctx.path);
      }
    } catch (error) {
      const answer = errorAnswer(error, logger, metrics, ctx.state.requestId);
      ctx.status = answer.status;
      if (answer.retryAfter !== undefined) ctx.set('Retry-After', answer.retryAfter);
      ctx.body = answer.body;
    }
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDependencyFailure(error)) return errors.serviceUnavailable();
  const { status, expose } = error as { status?: number; expose?: boolean };
  // Errors raised by Koa itself (http-errors) carry a safe status; each leaves with a code of the closed set.
  if (typeof status === 'number' && status >= 400 && status < 500 && expose) {
    const message = (error as Error).message;
    if (status === 404) return errors.notFound();
    if (status === 413) return errors.payloadTooLarge(Number((error as { limit?: number }).limit) || 0);
    if (status === 415) return errors.unsupportedMediaType('a supported media type');
    return errors.badRequest(message);
  }
  return errors.internal();
}
