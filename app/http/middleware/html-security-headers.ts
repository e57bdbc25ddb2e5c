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
    if (!ctx.response.is('html')) return;
    ctx.set('Content-Security-Policy', policy);
    ctx.set('X-Frame-Options', 'DENY');
  };
}
