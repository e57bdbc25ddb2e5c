import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Koa from 'koa';
import { describe, expect, it } from 'vitest';
import { isHtml } from '../../app/http/middleware/html-security-headers.ts';

/** What Koa itself answers (`ctx.response.is('html')`, type-is) for an answer with this Content-Type. */
function koaSaysHtml(contentType: string): boolean {
  const req = new IncomingMessage(new Socket());
  const ctx = new Koa().createContext(req, new ServerResponse(req));
  if (contentType) ctx.set('Content-Type', contentType);
  return Boolean(ctx.response.is('html'));
}

describe('isHtml', () => {
  it('agrees with ctx.response.is("html") on every answer type the kit sends and on odd spellings', () => {
    const types = [
      '', 'text/html', 'text/html; charset=utf-8', 'TEXT/HTML; Charset=UTF-8', 'text/html;charset=utf-8', ' text/html ',
      'text/htmlx', 'text/plain', 'text/plain; charset=utf-8', 'application/json', 'application/json; charset=utf-8',
      'application/xhtml+xml', 'image/svg+xml', 'text/css; charset=utf-8', 'application/javascript; charset=utf-8',
      'text/html5', 'texthtml', 'html',
    ];
    for (const type of types) expect(isHtml(type), JSON.stringify(type)).toBe(koaSaysHtml(type));
    expect(isHtml(undefined)).toBe(false);
  });
});
