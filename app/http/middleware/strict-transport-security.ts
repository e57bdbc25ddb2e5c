import type { Middleware } from 'koa';
import type { AppState } from '../context.ts';

const oneYearSeconds = 365 * 24 * 60 * 60;
export const strictTransportSecurityValue = `max-age=${oneYearSeconds}; includeSubDomains`;

/**
 * HSTS on answers to HTTPS requests as Koa judges them (`ctx.secure`): TLS on this socket, or
 * `X-Forwarded-Proto: https` only when TRUST_PROXY is on. Never over plain HTTP, where a browser must
 * ignore it anyway and a client could otherwise claim HTTPS by header alone.
 */
export function strictTransportSecurity(): Middleware<AppState> {
  // Not async: nothing to do after next(), so no promise of its own per request.
  return (ctx, next) => {
    if (ctx.secure) ctx.set('Strict-Transport-Security', strictTransportSecurityValue);
    return next();
  };
}
