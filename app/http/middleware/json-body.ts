import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

export const jsonBodyLimit = 64 * 1024;

/**
 * `ctx.is('application/json')`, with the plain `Content-Type: application/json` of a body with a length answered
 * without parsing the header (every hold request has one). Like type-is, a request without a body is not JSON.
 */
function isJson(ctx: Context): boolean {
  const { headers } = ctx.req;
  if (headers['content-type'] === 'application/json' && headers['content-length'] !== undefined && !Number.isNaN(Number(headers['content-length']))) return true;
  return Boolean(ctx.is('application/json'));
}

/** Parses a JSON body of at most 64 KB into `ctx.state.body`; other content types get 415. */
export function jsonBody(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!isJson(ctx)) throw errors.unsupportedMediaType('application/json');
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
