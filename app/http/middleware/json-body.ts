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
    throw unreadable();
  }
  return parseJson(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw errors.invalidJson();
  }
}

const unreadable = () => errors.validationFailed([{ path: '', message: 'the request body could not be read' }]);

/**
 * readJsonBody for a request whose Content-Length is declared and within the limit, without chunked encoding (the
 * hold fast path checks this): Node's HTTP parser then delivers exactly that many bytes, or the request is aborted,
 * so neither raw-body's size bookkeeping nor its iconv decoder is needed. Same outcomes: UTF-8 with a leading BOM
 * dropped (as iconv-lite does), 400 `invalid_json`, 400 `validation_failed` when the body cannot be read.
 */
export function readDeclaredJsonBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    const settle = (error: unknown, text?: string) => {
      req.off('data', onData).off('end', onEnd).off('error', onFailure).off('close', onClose);
      if (error) return reject(error);
      try {
        resolve(parseJson(text!.charCodeAt(0) === 0xfeff ? text!.slice(1) : text!));
      } catch (invalid) {
        reject(invalid);
      }
    };
    const onEnd = () => settle(undefined, (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
    const onFailure = () => settle(unreadable());
    const onClose = () => {
      if (!req.complete) onFailure();
    };
    req.on('data', onData).on('end', onEnd).on('error', onFailure).on('close', onClose);
  });
}

/** Parses a JSON body of at most 64 KB into `ctx.state.body`; other content types get 415. */
export function jsonBody(): Middleware<AppState> {
  return async (ctx, next) => {
    if (!isJson(ctx)) throw errors.unsupportedMediaType('application/json');
    ctx.state.body = await readJsonBody(ctx.req);
    await next();
  };
}
