import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPosterPng } from '../../app/demo/demo-poster.ts';
import type { TestInstance, TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, newBuyer } from '../support/http-client.ts';
import { buyerInBrowser, clientOf, seatButton, waitForLook } from './support/buyers.ts';
import { browserPool } from './support/browser-pool.ts';
import { expectAccessible, expectText, openEvent, saveScreenshot, tabTo } from './support/page-checks.ts';
import { cumulativeLayoutShift, layoutShifts } from './support/page-probes.ts';
import { startWebPlatform } from './support/web-platform.ts';

// Real Chromium against a real API instance (MariaDB, Redis, local S3) serving the built page.
let platform: TestPlatform;
let api: TestInstance;
let organizerClient: HttpClient;
const browsers = browserPool();
const browser = browsers.launch;

beforeAll(async () => {
  ({ platform, api, organizerClient } = await startWebPlatform());
});

afterAll(async () => {
  await browsers.closeAll();
  await platform?.stop();
});

const smallVenue = [
  { name: 'Front', rows: 2, seatsPerRow: 12, priceCents: 9_000 },
  { name: 'Floor', rows: 6, seatsPerRow: 16, priceCents: 5_000 },
];

describe('the buyer page', () => {
  it('takes a buyer from registering to a ticket, by keyboard, with no serious accessibility violation', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient, smallVenue);
    const { page, context } = await browser();
    const email = `flow-${Date.now()}@test.local`;
    const password = 'correct horse battery';

    await page.goto(`${api.url}/register`);
    await expectAccessible(page, 'register');
    await page.getByLabel('Name').fill('Flow Buyer');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).press('Enter');
    await page.getByText('Signed in as Flow Buyer').waitFor();

    await page.getByRole('button', { name: 'Log out' }).click();

    // Logged out: the events list, with the poster served from S3, and the event's seat map.
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    await page.getByRole('link', { name: 'Log in' }).waitFor();
    await expectAccessible(page, 'events list');
    await page.locator(`a[href="/events/${eventId}"]`).click();
    await page.waitForSelector('.seat-map button.seat');
    await expectAccessible(page, 'event page');

    // Keyboard only: Tab into the map, arrows between seats, Space and Enter to pick, Tab to the button.
    await tabTo(page, 'button.seat');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await waitForLook(page, seatIds[0]!, 'selected');
    await waitForLook(page, seatIds[1]!, 'selected');
    await expectText(page.locator('.panel'), 'Front row A seat 1');
    await tabTo(page, '#hold-button');
    expect(await page.locator('#hold-button').innerText()).toBe('Log in to hold seats');
    await page.keyboard.press('Enter');

    // Logging in leads back to the event with the same seats picked.
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    await expectAccessible(page, 'login');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByLabel('Email').fill(email);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expectText(page.getByRole('alert'), 'do not match');
    await page.getByLabel('Password').fill(password);
    await page.getByLabel('Password').press('Enter');
    await page.getByText('Signed in as Flow Buyer').waitFor();
    await waitForLook(page, seatIds[0]!, 'selected');
    await waitForLook(page, seatIds[1]!, 'selected');
    await tabTo(page, '#hold-button');
    expect(await page.locator('#hold-button').innerText()).toBe('Hold 2 seats');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    await waitForLook(page, seatIds[0]!, 'mine');
    await waitForLook(page, seatIds[1]!, 'mine');
    const timer = page.getByRole('timer');
    const first = await timer.textContent();
    expect(first).toMatch(/^(9|10):\d\d$/);
    await expect.poll(() => timer.textContent(), { timeout: 5_000 }).not.toBe(first);
    await expectAccessible(page, 'event page with a hold');

    // A double click sends the same Idempotency-Key twice: one order.
    await page.locator('#buy-button').dblclick();
    await page.getByRole('heading', { name: 'Thank you! Your tickets are booked' }).waitFor();
    await expectText(page.locator('main'), 'Front row A seat 2');
    await expectAccessible(page, 'confirmation');
    const orders = (await (await clientOf(api.url, context)).get('/api/orders')).body.orders;
    expect(orders).toHaveLength(1);
    expect(orders[0].tickets.map((t: { seatId: number }) => t.seatId).sort()).toEqual([seatIds[0], seatIds[1]].sort());

    await page.getByRole('link', { name: 'See all my tickets' }).click();
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    await expectText(page.locator('main'), 'Front row A seat 1');
    await expectText(page.locator('main'), `order #${orders[0].id}`);
    await expectAccessible(page, 'my tickets');
  });

  it('lets two browsers race for one seat: one holds it, the other is told and picks another', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient, smallVenue);
    const [first, second] = await Promise.all([browser(), browser()]);
    await Promise.all([buyerInBrowser(api.url, first!.context, 'racer-a'), buyerInBrowser(api.url, second!.context, 'racer-b')]);
    const contested = seatIds[5]!;
    for (const { page } of [first!, second!]) {
      await openEvent(page, api.url, eventId);
      await seatButton(page, contested).click();
      await waitForLook(page, contested, 'selected');
    }

    // Both clicks at once, without waiting for actionability: the slower page may already have been
    // told by its refresh that the seat is gone (that is losing the race too).
    const pressHold = (page: Page) => page.evaluate(`document.getElementById('hold-button').click()`);
    await Promise.all([pressHold(first!.page), pressHold(second!.page)]);
    const outcome = (page: Page) => page.evaluate(`document.getElementById('buy-button') ? 'won'
      : document.querySelector('[role=alert]') ? 'lost' : 'pending'`) as Promise<'won' | 'lost' | 'pending'>;
    await expect
      .poll(async () => [await outcome(first!.page), await outcome(second!.page)].sort(), { timeout: 20_000 })
      .toEqual(['lost', 'won']);
    const loser = (await outcome(first!.page)) === 'lost' ? first! : second!;
    const winner = loser === first ? second! : first!;
    expect(await loser.page.getByRole('alert').innerText()).toContain('Front row A seat 6 was just taken by someone else');
    await waitForLook(loser.page, contested, 'held');
    await waitForLook(winner.page, contested, 'mine');

    // Picking the taken seat again only says why; picking another one works.
    await seatButton(loser.page, contested).focus();
    await loser.page.keyboard.press('Enter');
    await expectText(loser.page.locator('#announcer'), 'Front row A seat 6 is held by another buyer');
    await waitForLook(loser.page, contested, 'held');
    await seatButton(loser.page, seatIds[6]!).click();
    await loser.page.locator('#hold-button').click();
    await loser.page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    await waitForLook(loser.page, seatIds[6]!, 'mine');
    // The winner's open map shows the loser's new hold as someone else's.
    await waitForLook(winner.page, seatIds[6]!, 'held');
  });

  it('ends an expired hold on the page, and says so when a purchase finds the hold gone', async () => {
    const shortHolds = await platform.startInstance({ HOLD_TTL_SECONDS: '5' });
    const { eventId, seatIds } = await createEvent(organizerClient, smallVenue);
    const { page, context } = await browser();
    await buyerInBrowser(shortHolds.url, context, 'expiring');
    await openEvent(page, shortHolds.url, eventId);
    await seatButton(page, seatIds[0]!).click();
    await page.locator('#hold-button').click();
    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    expect(await page.getByRole('timer').innerText()).toMatch(/^0:0[1-5]$/);
    await waitForLook(page, seatIds[0]!, 'mine');

    await expectText(page.getByRole('alert'), 'Your hold expired and the seats were released');
    expect(await page.locator('#buy-button').count()).toBe(0);
    await waitForLook(page, seatIds[0]!, 'available');

    // Released behind the page's back (another tab): Buy gets 410 hold_expired and a human message.
    await openEvent(page, api.url, eventId);
    await seatButton(page, seatIds[1]!).click();
    await page.locator('#hold-button').click();
    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    const sameBuyer = await clientOf(api.url, context);
    const holdId = (await page.evaluate(`JSON.parse(sessionStorage.getItem('ticketkit.hold.${eventId}')).hold.id`)) as string;
    expect((await sameBuyer.request('DELETE', `/api/holds/${holdId}`)).status).toBe(204);
    await page.locator('#buy-button').click();
    await expectText(page.getByRole('alert'), 'Your hold expired and the seats were released. Please pick your seats again.');
    await page.locator('#hold-button').waitFor();
    expect((await sameBuyer.get('/api/orders')).body.orders).toEqual([]);
  });

  it('says what to do when rate limited or when the service is unavailable, and retries with the same Idempotency-Key', async () => {
    const limited = await platform.startInstance({ HOLD_RATE_LIMIT_PER_USER: '2' });
    const { eventId, seatIds } = await createEvent(organizerClient, smallVenue);
    const { page, context } = await browser();
    await buyerInBrowser(limited.url, context, 'hurried');
    await openEvent(page, limited.url, eventId);
    // Two holds, each released, use up the minute's allowance; the third is refused with 429.
    for (const index of [0, 1]) {
      await seatButton(page, seatIds[index]!).click();
      await page.locator('#hold-button').click();
      await page.locator('#release-button').click();
      await expectText(page.locator('.panel'), 'Your seats were released');
    }
    await seatButton(page, seatIds[2]!).click();
    await page.locator('#hold-button').click();
    await expectText(page.getByRole('alert'), 'Too many requests right now. Please wait and try again in');
    await waitForLook(page, seatIds[2]!, 'selected');

    // On an instance without that limit (same Redis: the session is valid there too), a purchase
    // answered 503 keeps its Idempotency-Key for the retry.
    await openEvent(page, api.url, eventId);
    await seatButton(page, seatIds[3]!).click();
    await page.locator('#hold-button').click();
    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    const keys: string[] = [];
    let refuse = true;
    await page.route('**/purchase', async (route) => {
      keys.push(route.request().headers()['idempotency-key']!);
      if (!refuse) return route.continue();
      refuse = false;
      await route.fulfill({
        status: 503,
        // As the API answers a 503 (the page's answers are checked against the OpenAPI document).
        headers: { 'content-type': 'application/json', 'retry-after': '1', 'cache-control': 'no-store', 'x-request-id': 'faked-503' },
        body: JSON.stringify({ error: { code: 'service_unavailable', message: 'A dependency is unavailable; retry shortly.' } }),
      });
    });
    await page.locator('#buy-button').click();
    await expectText(page.getByRole('alert'), 'The ticket service is busy or briefly unavailable. Nothing was lost: please try again in 1 second.');
    await page.locator('#buy-button').click();
    await page.getByRole('heading', { name: 'Thank you! Your tickets are booked' }).waitFor();
    expect(keys).toHaveLength(2);
    expect(keys[1]).toBe(keys[0]);
  });

  it('draws a seat map with every kind of seat, and saves a screenshot of it for the README', async () => {
    const created = await organizerClient.post('/api/admin/events', {
      name: 'The Famous Artist — World Tour',
      venue: 'Arena One',
      startsAt: '2027-06-12T19:30:00Z',
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      sections: [
        { name: 'Front', rows: 3, seatsPerRow: 14, priceCents: 12_000 },
        { name: 'Floor', rows: 6, seatsPerRow: 18, priceCents: 6_500 },
      ],
    });
    const eventId = created.body.event.id as number;
    const poster = await organizerClient.request('PUT', `/api/admin/events/${eventId}/poster`, {
      body: demoPosterPng(),
      headers: { 'content-type': 'image/png' },
    });
    expect(poster.status).toBe(200);
    const seatIds = ((await organizerClient.get(`/api/events/${eventId}/seats`)).body.seats as { id: number }[]).map((seat) => seat.id);
    const others = await Promise.all([1, 2, 3].map((n) => newBuyer(api.url, `crowd-${n}`)));
    const sold = [3, 4, 5, 20, 21, 44, 45, 46, 47, 60, 61, 90, 91, 92, 118].map((i) => seatIds[i]!);
    const held = [10, 11, 70, 71, 72, 100].map((i) => seatIds[i]!);
    const bought = await others[0]!.client.post(`/api/events/${eventId}/holds`, { seatIds: sold.slice(0, 8) });
    await others[0]!.client.post(`/api/holds/${bought.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'shot-1' });
    const bought2 = await others[1]!.client.post(`/api/events/${eventId}/holds`, { seatIds: sold.slice(8) });
    await others[1]!.client.post(`/api/holds/${bought2.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'shot-2' });
    expect((await others[2]!.client.post(`/api/events/${eventId}/holds`, { seatIds: held })).status).toBe(201);

    const { page, context } = await browser({ width: 1200, height: 1000 });
    await buyerInBrowser(api.url, context, 'photographer');
    await openEvent(page, api.url, eventId);
    for (const index of [30, 31]) await seatButton(page, seatIds[index]!).click();
    await page.locator('#hold-button').click();
    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    for (const index of [57, 58, 59]) await seatButton(page, seatIds[index]!).click();
    await waitForLook(page, seatIds[100]!, 'held');
    await waitForLook(page, seatIds[118]!, 'sold');
    await waitForLook(page, seatIds[30]!, 'mine');
    await expectAccessible(page, 'seat map with a hold, sold and held seats');

    await page.evaluate(`document.querySelector('img.poster').decode()`);
    const picture = await saveScreenshot(page.locator('main'), 'seat-map.png');
    expect(picture.length).toBeGreaterThan(20_000);
  });

  it('refreshes the map at most every 2 s with 304s when unchanged, without any layout shift, at phone width', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient, smallVenue);
    const { page } = await browser({ width: 375, height: 740 });
    // The page's own resource timing: when each request started, and its status.
    const seatRequests = () => page.evaluate(`performance.getEntriesByType('resource')
      .filter((entry) => entry.name.endsWith('/api/events/${eventId}/seats'))
      .map((entry) => ({ at: entry.startTime, status: entry.responseStatus }))`) as Promise<{ at: number; status: number }[]>;
    await openEvent(page, api.url, eventId);
    await expectAccessible(page, 'event page at phone width');
    const pageFitsWidth = await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
    expect(pageFitsWidth, 'only the seat map scrolls sideways at phone width').toBe(true);
    const before = (await layoutShifts(page)).length;

    // Another buyer holds and buys seats: the open page shows it on its next refresh.
    const other = (await newBuyer(api.url, 'other')).client;
    const held = await other.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[3], seatIds[4]] });
    expect(held.status).toBe(201);
    await waitForLook(page, seatIds[3]!, 'held');
    await other.post(`/api/holds/${held.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'phone-1' });
    await waitForLook(page, seatIds[4]!, 'sold');
    await expectText(page.locator('.availability'), `${seatIds.length - 2} of ${seatIds.length} seats available`);
    const changedAt = (await seatRequests()).length;
    await expect.poll(async () => (await seatRequests()).slice(changedAt).some((poll) => poll.status === 304), { timeout: 10_000 }).toBe(true);
    const polls = await seatRequests();

    const shiftsDuringRefresh = (await layoutShifts(page)).slice(before);
    expect(cumulativeLayoutShift(shiftsDuringRefresh)).toBe(0);
    expect(cumulativeLayoutShift(await layoutShifts(page))).toBe(0);
    const gaps = polls.slice(1).map((poll, i) => poll.at - polls[i]!.at);
    expect(Math.min(...gaps), JSON.stringify(polls)).toBeGreaterThanOrEqual(1_900);
    expect(polls.filter((poll) => poll.status === 304).length).toBeGreaterThan(0);
  });
});
