import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Context, Middleware } from 'koa';
import getRawBody from 'raw-body';
import { errors } from '../../errors.ts';
import type { AppState } from '../context.ts';

export const jsonBodyLimit = 64 * 1024;

/** The plain `Content-Type: application/json` of a body with a length (every hold request has one), no parsing of the header. */
export function isPlainJson(headers: IncomingHttpHeaders): boolean {
  return headers['content-type'] === 'application/json' && headers['content-length'] !== undefined && !Number.isNaN(Number(headers['content-length']));
}

/** `ctx.is('application/json')`, with the plain case answered by isPlainJson. Like type-is, a request without a body is not JSON. */
function isJson(ctx: Context): boolean {
  return isPlainJson(ctx.req.headers) || Boolean(ctx.is('application/json'));
}

/** Reads and parses a JSON body of at most 64 KB; a body too large, unreadable or not JSON is an AppError (413, 415, 400). */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (declared > jsonBodyLimit) throw errors.payloadTooLarge(jsonBodyLimit);
  let text: string;
  try {
    text = await getRawBody(req, { limit: jsonBodyLimit, encoding: 'utf8' });
  } catch (error) {
    const type = (error as { type?: string }).type;
    if (type === 'entity.too.large') throw errors.payloadTooLarge(jsonBodyLimit);
    if (type === 'encoding.unsupported' || type === 'charset.unsupported') throw errors.unsupportedMediaType('UTF-8 JSON');
    throw errors.validationFailed([{ path: '', message: 'the request body could not be read' }]);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
}

/** Parses a JSON body of at most 64 KB into `ctx.state.body`; other content types get 415. */
export function jsonBody(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!isJson(ctx)) throw errors.unsupportedMediaType('application/json');
    ctx.state.body = await readJsonBody(ctx.req);
    await next();
  };
}
