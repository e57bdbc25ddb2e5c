import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestInstance, TestPlatform } from '../support/api.ts';
import { HttpClient, newBuyer } from '../support/http-client.ts';
import { buyerInBrowser } from './support/buyers.ts';
import { browserPool } from './support/browser-pool.ts';
import { consoleProblems, expectAccessible, expectText, saveScreenshot } from './support/page-checks.ts';
import { cumulativeLayoutShift, layoutShiftRecorder, layoutShifts } from './support/page-probes.ts';
import { startWebPlatform } from './support/web-platform.ts';

// Real Chromium against a real API instance: buyers queue for an on-sale whose room admits one at a time.
let platform: TestPlatform;
let api: TestInstance;
let organizerClient: HttpClient;
const browsers = browserPool();

beforeAll(async () => {
  ({ platform, api, organizerClient } = await startWebPlatform());
});

afterAll(async () => {
  await browsers.closeAll();
  await platform?.stop();
});

const room = (maxActive: number) => ({
  enabled: true,
  opensAt: new Date(Date.now() - 120_000).toISOString(),
  admissionRatePerMinute: 30,
  maxActive,
  admissionTtlSeconds: 120,
});

describe('the waiting room on the buyer page', () => {
  it('queues a buyer with place and wait, keeps the place when the tab is closed and reopened, and moves on to the seat map by itself', async () => {
    const created = await organizerClient.post('/api/admin/events', {
      name: 'Famous artist live',
      venue: 'Arena',
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      sections: [{ name: 'Floor', rows: 3, seatsPerRow: 12, priceCents: 9_000 }],
      waitingRoom: room(1),
    });
    const eventId = created.body.event.id as number;

    // The first buyer is admitted at once (the room has space) and lands on the seat map.
    const first = await browsers.launch();
    await buyerInBrowser(api.url, first.context, 'first');
    await first.page.goto(`${api.url}/events/${eventId}`);
    await first.page.waitForSelector('.seat-map button.seat');

    // The second waits: number 1 in line, read out politely, nothing moving on the page.
    const second = await browsers.launch();
    await buyerInBrowser(api.url, second.context, 'second');
    const problems = consoleProblems(second.page);
    await second.page.goto(`${api.url}/events/${eventId}`);
    await expectText(second.page.locator('#queue-position'), '1');
    await expectText(second.page.locator('#announcer'), 'You are number 1 in line');
    expect(await second.page.locator('#announcer').getAttribute('aria-live')).toBe('polite');
    expect(await second.page.locator('[role=progressbar]').count()).toBe(1);
    await expectAccessible(second.page, 'queue screen');
    await saveScreenshot(second.page, 'waiting-room.png');

    // A third buyer joins behind; the second closes the tab and comes back: the same place.
    const third = await newBuyer(api.url, 'third');
    expect((await third.client.post(`/api/events/${eventId}/queue`)).body.queue.position).toBe(2);
    // (A blank tab stays open meanwhile: closing a browser's last window would end its session cookies too.)
    const again = await second.context.newPage();
    await second.page.close();
    await again.addInitScript(layoutShiftRecorder);
    const problemsAgain = consoleProblems(again);
    await again.goto(`${api.url}/events/${eventId}`);
    await expectText(again.locator('#queue-position'), '1');
    expect(await again.locator('.seat-map').count()).toBe(0);

    // The organizer lets one more in: the page moves to the seat map by itself, and the third is next.
    const raised = await organizerClient.request('PUT', `/api/admin/events/${eventId}/waiting-room`, { json: room(2) });
    expect(raised.status).toBe(200);
    await again.waitForSelector('.seat-map button.seat', { timeout: 20_000 });
    await expectText(again.locator('#announcer'), 'It is your turn');
    expect((await third.client.get(`/api/events/${eventId}/queue`)).body.queue.position).toBe(1);
    expect(cumulativeLayoutShift(await layoutShifts(again))).toBeLessThan(0.1);
    expect([...problems, ...problemsAgain]).toEqual([]);
  });
});
