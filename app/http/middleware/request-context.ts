import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../context.ts';

const acceptedRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request's id: the load balancer's (X-Request-Id, else X-Amzn-Trace-Id) when it is a plain token, else a new one. */
export function requestIdOf(requestId: string | undefined, traceId: string | undefined): string {
  const incoming = requestId || traceId || '';
  return acceptedRequestId.test(incoming) ? incoming : randomUUID();
}

/** The one log line of a request: 503 is an expected answer (starting, draining, a dependency down); only other 5xx are errors. */
export function logRequest(logger: Logger, line: { requestId: string; method: string; path: string; status: number; ms: number }): void {
  if (line.status >= 500 && line.status !== 503) logger.error(line, 'request failed');
  else if (line.status === 503) logger.warn(line, 'request refused');
  else logger.info(line, 'request');
}

/** Milliseconds since `started` (a performance.now()), to a tenth. */
export function elapsedMs(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

/** Gives every request an id (the load balancer's or a new one), answers it in X-Request-Id and logs one line per request with it. */
export function requestContext(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const { headers } = ctx.req;
    const requestId = requestIdOf(headers['x-request-id'] as string | undefined, headers['x-amzn-trace-id'] as string | undefined);
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      logRequest(logger, { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: elapsedMs(started) });
    }
  };
}
