import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPlatform, organizer, type TestInstance, type TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, logIn, newBuyer } from '../support/http-client.ts';

let platform: TestPlatform;
let instance: TestInstance;

beforeAll(async () => {
  platform = await createTestPlatform();
  instance = await platform.startInstance();
});
afterAll(() => platform?.stop());

describe('the seat map under a flood of requests', () => {
  it('serves the same bytes as the seat objects and never a map read before the request arrived', async () => {
    const admin = new HttpClient(instance.url);
    await logIn(admin, organizer.email, organizer.password);
    const { eventId, seatIds } = await createEvent(admin, [{ name: 'Floor', rows: 20, seatsPerRow: 50, priceCents: 4_000 }]);
    const buyer = await newBuyer(instance.url);
    const mapUrl = `${instance.url}/api/events/${eventId}/seats`;
    const load = async () => (await fetch(mapUrl)).json() as Promise<{ seats: { id: number; status: string }[] }>;

    // Keep 30 map requests in flight while buyers hold seats; every map asked for after a 201 shows that hold.
    let flooding = true;
    const flood = Promise.all(Array.from({ length: 30 }, async () => {
      while (flooding) await load();
    }));
    try {
      for (let i = 0; i < 8; i++) {
        const held = await buyer.client.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[i]!] });
        expect(held.status).toBe(201);
        const maps = await Promise.all(Array.from({ length: 5 }, load));
        for (const map of maps) expect(map.seats.find((seat) => seat.id === seatIds[i])?.status).toBe('held');
      }
    } finally {
      flooding = false;
      await flood;
    }

    // The body is exactly the JSON of the seat objects, and the ETag follows it.
    const response = await fetch(mapUrl);
    const text = await response.text();
    const parsed = JSON.parse(text) as { seats: object[] };
    expect(text).toBe(JSON.stringify(parsed));
    expect(parsed.seats).toHaveLength(1_000);
    expect(parsed.seats[0]).toEqual({ id: seatIds[0], section: 'Floor', row: expect.any(String), number: 1, priceCents: 4_000, status: 'held' });
    const again = await fetch(mapUrl, { headers: { 'if-none-match': response.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });
});
