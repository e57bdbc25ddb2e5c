import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPosterPng } from '../../app/demo/demo-poster.ts';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

let platform: TestPlatform;
let api: TestInstance;
let admin: HttpClient;

beforeAll(async () => {
  platform = await createTestPlatform();
  api = await platform.startInstance();
  admin = new HttpClient(api.url);
  await logIn(admin, organizer.email, organizer.password);
});
afterAll(() => platform.stop());

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('organizer', () => {
  it('creates an event with its seat map, open for holds from onSaleAt', async () => {
    const response = await admin.post('/api/admin/events', {
      name: 'Arena night',
      venue: 'Arena',
      startsAt: '2027-06-01T20:00:00Z',
      onSaleAt: '2026-01-01T10:00:00+02:00',
      sections: [
        { name: 'Front', rows: 2, seatsPerRow: 3, priceCents: 10_000 },
        { name: 'Back', rows: 28, seatsPerRow: 2, priceCents: 2_500 },
      ],
    });
    expect(response.status).toBe(201);
    expect(response.body.event).toMatchObject({
      name: 'Arena night',
      venue: 'Arena',
      startsAt: '2027-06-01T20:00:00.000Z',
      onSaleAt: '2026-01-01T08:00:00.000Z',
      posterUrl: null,
      seatsTotal: 62,
      seatsAvailable: 62,
    });
    const seats = (await admin.get(`/api/events/${response.body.event.id}/seats`)).body.seats;
    expect(seats).toHaveLength(62);
    expect(seats[0]).toEqual({ id: expect.any(Number), section: 'Front', row: 'A', number: 1, priceCents: 10_000, status: 'available' });
    expect(seats.at(-1)).toMatchObject({ section: 'Back', row: 'AB', number: 2, priceCents: 2_500 });
    const listed = (await new HttpClient(api.url).get('/api/events')).body.events;
    expect(listed.map((e: { id: number }) => e.id)).toContain(response.body.event.id);
  });

  it('refuses organizer routes to buyers and to visitors', async () => {
    const { client } = await newBuyer(api.url);
    expect((await client.post('/api/admin/events', {})).body.error.code).toBe('forbidden');
    expect((await new HttpClient(api.url).post('/api/admin/events', {})).body.error.code).toBe('unauthenticated');
    const invalid = await admin.post('/api/admin/events', {
      name: 'x', venue: 'y', startsAt: '2027-01-01T00:00:00Z', onSaleAt: '2028-01-01T00:00:00Z',
      sections: [{ name: 'A', rows: 1, seatsPerRow: 1, priceCents: 1 }, { name: 'A', rows: 1, seatsPerRow: 1, priceCents: 1 }],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details.issues.map((i: { path: string }) => i.path).sort()).toEqual(['onSaleAt', 'sections']);
  });

  it('streams a poster to S3 and serves its URL from the poster base; the database stores only the key', async () => {
    const { eventId } = await createEvent(admin);
    const png = demoPosterPng(120, 80);
    const response = await admin.request('PUT', `/api/admin/events/${eventId}/poster`, { body: png, headers: { 'content-type': 'image/png' } });
    expect(response.status).toBe(200);
    const { posterUrl } = response.body;
    expect(posterUrl).toMatch(new RegExp(`/${platform.bucket}/posters/${eventId}/[0-9a-f-]+\\.png$`));
    const served = await fetch(posterUrl);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.headers.get('cache-control')).toContain('immutable');
    expect(sha(new Uint8Array(await served.arrayBuffer()))).toBe(sha(png));

    const [rows] = await api.deps.db.query('SELECT poster_key AS posterKey FROM events WHERE id = ?', [eventId]);
    expect((rows as { posterKey: string }[])[0]!.posterKey).toMatch(/^posters\/\d+\/[0-9a-f-]+\.png$/);
    expect((await admin.get(`/api/events/${eventId}`)).body.event.posterUrl).toBe(posterUrl);
  });

  it('streams a multi-part poster near the 10 MB limit intact', async () => {
    const { eventId } = await createEvent(admin);
    const big = Buffer.concat([demoPosterPng(10, 10), Buffer.alloc(9 * 1024 * 1024, 7)]);
    const response = await admin.request('PUT', `/api/admin/events/${eventId}/poster`, { body: big, headers: { 'content-type': 'image/png' } });
    expect(response.status).toBe(200);
    const served = new Uint8Array(await (await fetch(response.body.posterUrl)).arrayBuffer());
    expect(served.length).toBe(big.length);
    expect(sha(served)).toBe(sha(big));
  });

  it('refuses posters that are too large (413) or not images (415), whatever the Content-Type says', async () => {
    const { eventId } = await createEvent(admin);
    const path = `/api/admin/events/${eventId}/poster`;
    const tooBig = Buffer.concat([demoPosterPng(10, 10), Buffer.alloc(10 * 1024 * 1024)]);
    const declared = await admin.request('PUT', path, { body: tooBig, headers: { 'content-type': 'image/png' } });
    expect(declared.status).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new Uint8Array(tooBig));
        controller.close();
      },
    });
    const streamed = await admin.request('PUT', path, { body: stream, headers: { 'content-type': 'image/png' } });
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe('payload_too_large');

    const html = await admin.request('PUT', path, { body: '<html><script>alert(1)</script></html>', headers: { 'content-type': 'image/png' } });
    expect(html.status).toBe(415);
    const declaredText = await admin.request('PUT', path, { body: demoPosterPng(4, 4), headers: { 'content-type': 'text/plain' } });
    expect(declaredText.status).toBe(415);
    expect((await admin.get(`/api/events/${eventId}`)).body.event.posterUrl).toBeNull();
    expect((await admin.request('PUT', '/api/admin/events/999999/poster', { body: demoPosterPng(4, 4), headers: { 'content-type': 'image/png' } })).status).toBe(404);
  });
});

describe('when S3 is down', () => {
  it('answers a poster upload with 503 service_unavailable and leaves the event unchanged', async () => {
    const broken = await platform.startInstance({ S3_ENDPOINT: 'http://127.0.0.1:9' });
    const client = new HttpClient(broken.url);
    await logIn(client, organizer.email, organizer.password);
    const { eventId } = await createEvent(client);
    const png = demoPosterPng(8, 8);
    const response = await client.request('PUT', `/api/admin/events/${eventId}/poster`, { body: png, headers: { 'content-type': 'image/png' } });
    expect(response.status).toBe(503);
    expect(response.body.error.code).toBe('service_unavailable');
    expect((await client.get(`/api/events/${eventId}`)).body.event.posterUrl).toBeNull();
  });
});

describe('probes', () => {
  it('is live at once, and ready only when start-up is done and MySQL and Redis answer', async () => {
    const { createApp } = await import('../../app/create-app.ts');
    const { app } = createApp(api.deps, () => false);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const notReady = await fetch(`${url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({ checks: { startup: false, mysql: true, redis: true } });
      const apiCall = await fetch(`${url}/api/events`);
      expect(apiCall.status).toBe(503);
      expect(((await apiCall.json()) as { error: { code: string } }).error.code).toBe('service_unavailable');
    } finally {
      server.close();
    }
    expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
  });
});
