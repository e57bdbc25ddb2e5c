import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { AppState } from '../context.ts';

/**
 * What no route answered because of its method, in place of @koa/router's allowedMethods (which answers
 * 501 in text/plain for a method it does not know, e.g. PROPFIND or TRACE, logged as a server error):
 * - a method some route of this path has not: 405 with `Allow` (OPTIONS: 204 with `Allow`);
 * - a method no route implements anywhere: 405, with `Allow` when the path exists.
 * The error handler turns a bare 405 into `{"error":{"code":"method_not_allowed",...}}`; 4xx are logged at info.
 * Other answers (a 404 for an unknown path, the buyer page for GET) are left as they are.
 */
export function methodNotAllowed(router: Router<AppState>): Middleware<AppState> {
  return async (ctx, next) => {
    await next();
    if (ctx.status !== 404 || ctx.body !== undefined) return;
    const allowed = [...new Set(router.match(ctx.path, ctx.method).path.flatMap((layer) => layer.methods))];
    const implemented = router.methods.includes(ctx.method);
    if (implemented && allowed.length === 0) return;
    if (allowed.length) ctx.set('Allow', allowed.join(', '));
    ctx.status = ctx.method === 'OPTIONS' && allowed.length ? 204 : 405;
  };
}
