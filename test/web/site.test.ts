import { readdir } from 'node:fs/promises';
import { get } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultSiteDirectory } from '../../app/http/routes/site.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';
import { ensureSiteBuilt } from './support/site-build.ts';

let platform: TestPlatform;
let api: TestInstance;

beforeAll(async () => {
  await ensureSiteBuilt();
  platform = await createTestPlatform();
  api = await platform.startInstance();
});

afterAll(() => platform?.stop());

describe('the API serves the built buyer page', () => {
  it('answers pages with index.html (revalidated) and hashed assets with a year of caching', async () => {
    const client = new HttpClient(api.url);
    for (const path of ['/', '/events/12', '/tickets', '/orders/3?new=1']) {
      const page = await client.get(path);
      expect(page.status, path).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(page.body).toContain('<main id="main"');
    }
    const assets = await readdir(`${defaultSiteDirectory}/assets`);
    const script = assets.find((name) => name.endsWith('.js'))!;
    const style = assets.find((name) => name.endsWith('.css'))!;
    const js = await client.get(`/assets/${script}`);
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).toBe('max-age=31536000,immutable');
    expect((await client.get(`/assets/${style}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
    // A browser revalidating the page (fetch() would add Cache-Control: no-cache, so plain node:http).
    const lastModified = (await client.get('/')).headers.get('last-modified')!;
    const revalidated = await new Promise<number>((resolve, reject) =>
      get(`${api.url}/events/1`, { headers: { 'if-modified-since': lastModified } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      }).on('error', reject),
    );
    expect(revalidated).toBe(304);
  });

  it('keeps /api/* JSON, never serves files outside the build, and leaves other methods alone', async () => {
    const client = new HttpClient(api.url);
    const unknownApi = await client.get('/api/no-such-thing');
    expect(unknownApi.status).toBe(404);
    expect(unknownApi.body.error.code).toBe('not_found');
    expect((await client.get('/api')).body.error.code).toBe('not_found');
    expect((await client.get('/assets/missing-file.js')).body.error.code).toBe('not_found');
    for (const path of ['/%2e%2e/package.json', '/assets/%2e%2e/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json']) {
      const response = await client.get(path);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(response.status, path).toBeLessThan(500);
      expect(JSON.stringify(response.body), path).not.toContain('"dependencies"');
    }
    const posted = await client.request('POST', '/events/1');
    expect(posted.status).toBe(404);
    expect(posted.body.error.code).toBe('not_found');
    expect((await client.get('/healthz')).status).toBe(200);
  });
});

describe('GET /api/events/:eventId/seats with validators', () => {
  it('answers 304 while the map is unchanged and 200 with a new ETag once a seat changes', async () => {
    const admin = new HttpClient(api.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin);
    const anonymous = new HttpClient(api.url);
    const first = await anonymous.get(`/api/events/${eventId}/seats`);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');

    // Browsers add Cache-Control: no-cache to a fetch that sets If-None-Match itself: still a 304.
    const conditionals: Record<string, string>[] = [{ 'if-none-match': etag }, { 'if-none-match': etag, 'cache-control': 'no-cache' }, { 'if-none-match': `"other", ${etag}` }];
    for (const headers of conditionals) {
      const unchanged = await anonymous.get(`/api/events/${eventId}/seats`, headers);
      expect(unchanged.status).toBe(304);
      expect(unchanged.body).toBeUndefined();
      expect(unchanged.headers.get('etag')).toBe(etag);
    }

    const { client: buyer } = await newBuyer(api.url);
    expect((await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[0]] })).status).toBe(201);
    const changed = await anonymous.get(`/api/events/${eventId}/seats`, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.body.seats[0].status).toBe('held');
    expect((await anonymous.get(`/api/events/${eventId}`)).body.event.maxSeatsPerUser).toBe(8);
  });
});
