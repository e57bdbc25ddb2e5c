import { fileURLToPath } from 'node:url';
import { send } from '@koa/send';
import type { Middleware } from 'koa';
import type { AppState } from '../context.ts';

/** Where `npm run build:web` (and `npm ci`'s prepare step) writes the buyer page. */
export const defaultSiteDirectory = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

const oneYearMs = 365 * 24 * 60 * 60 * 1000;

/**
 * Serves the built buyer page for GET/HEAD outside `/api/`: hashed files under `/assets/` are cached for a
 * year, `index.html` is revalidated on every load, and any path without a file extension is a page of the
 * single-page app (history routing), answered with `index.html`. Paths are resolved inside `root` only:
 * `@koa/send` (resolve-path) rejects traversal with a 403. The CSP of every HTML answer is set by
 * middleware/html-security-headers.ts.
 */
export function staticSite(root: string = defaultSiteDirectory): Middleware<AppState> {
  return async (ctx, next) => {
    const isApi = ctx.path === '/api' || ctx.path.startsWith('/api/');
    if (isApi || (ctx.method !== 'GET' && ctx.method !== 'HEAD')) return next();
    const isPage = !/\.[a-z0-9]+$/i.test(ctx.path);
    try {
      if (isPage) {
        ctx.set('Cache-Control', 'no-cache');
        await send(ctx, 'index.html', { root, index: false });
        if (ctx.fresh) ctx.status = 304;
      } else {
        const hashed = ctx.path.startsWith('/assets/');
        await send(ctx, ctx.path, { root, index: false, maxAge: hashed ? oneYearMs : 0, immutable: hashed });
      }
    } catch (error) {
      // A missing file falls through to the JSON 404 of the error handler.
      if ((error as { status?: number }).status === 404) return next();
      throw error;
    }
  };
}
