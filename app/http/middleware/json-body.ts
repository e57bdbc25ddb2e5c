import type { Middleware } from 'koa';
import getRawBody from 'raw-body';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

export const jsonBodyLimit = 64 * 1024;

/** Parses a JSON body of at most 64 KB into `ctx.state.body`; other content types get 415. */
export function jsonBody(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!ctx.is('application/json')) throw errors.unsupportedMediaType('application/json');
    const declared = Number(ctx.get('Content-Length'));
    if (declared > jsonBodyLimit) throw errors.payloadTooLarge(jsonBodyLimit);
    let text: string;
    try {
      text = await getRawBody(ctx.req, { limit: jsonBodyLimit, encoding: 'utf8' });
    } catch (error) {
      const type = (error as { type?: string }).type;
      if (type === 'entity.too.large') throw errors.payloadTooLarge(jsonBodyLimit);
      if (type === 'encoding.unsupported' || type === 'charset.unsupported') throw errors.unsupportedMediaType('UTF-8 JSON');
      throw errors.validationFailed([{ path: '', message: 'the request body could not be read' }]);
    }
    try {
      ctx.state.body = JSON.parse(text);
    } catch {
      throw errors.invalidJson();
    }
    await next();
  };
}
