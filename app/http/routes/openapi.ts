import type Router from '@koa/router';
import type { AppState } from '../context.ts';
import { openApiDocument } from '../openapi/document.ts';

/** Serves the OpenAPI document, rendered once per instance. */
export function openApiRoute(router: Router<AppState>): void {
  const document = JSON.stringify(openApiDocument());
  router.get('/api/openapi.json', (ctx) => {
    ctx.type = 'application/json';
    ctx.body = document;
  });
}
