import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from 'pino';
import type { AppState } from '../context.ts';

const acceptedRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Gives every request an id (the load balancer's or a new one), answers it in X-Request-Id and logs one line per request with it. */
export function requestContext(logger: Logger): Middleware<AppState> {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id') || ctx.get('X-Amzn-Trace-Id');
    const requestId = acceptedRequestId.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const line = { requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms };
      // 503 is an expected answer (starting, draining, a dependency down); only other 5xx are errors.
      if (ctx.status >= 500 && ctx.status !== 503) logger.error(line, 'request failed');
      else if (ctx.status === 503) logger.warn(line, 'request refused');
      else logger.info(line, 'request');
    }
  };
}
