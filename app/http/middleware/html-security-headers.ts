import type { Middleware } from 'koa';
import type { AppState } from '../context.ts';
import { contentSecurityPolicyWithCaptcha } from '../../../shared/content-security-policy.ts';

/**
 * Every HTML answer carries the site's Content-Security-Policy (with `frame-ancestors 'none'`) and
 * X-Frame-Options for older browsers, whichever route or file produced it: decided by the answer's
 * Content-Type, not by a list of paths that a new page could miss. Placed outside the error handler,
 * so it sees the final answer.
 */
export function htmlSecurityHeaders(captchaScriptUrl?: string): Middleware<AppState> {
  const policy = contentSecurityPolicyWithCaptcha(captchaScriptUrl);
  return async (ctx, next) => {
    await next();
    if (!isHtml(ctx.response.get('Content-Type'))) return;
    ctx.set('Content-Security-Policy', policy);
    ctx.set('X-Frame-Options', 'DENY');
  };
}

/**
 * `ctx.response.is('html')` (type-is: the media type, case-insensitive, parameters ignored, is text/html) without
 * parsing the header: every answer passes here and nearly all are JSON.
 */
export function isHtml(contentType: unknown): boolean {
  // Koa 3's response.get() is res.getHeader(): undefined when no Content-Type was set.
  if (typeof contentType !== 'string' || contentType.length < 9) return false;
  const end = contentType.indexOf(';');
  return (end === -1 ? contentType : contentType.slice(0, end)).trim().toLowerCase() === 'text/html';
}
