import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPosterPng } from '../../app/demo/demo-poster.ts';
import type { TestInstance, TestPlatform } from '../support/api.ts';
import { HttpClient, newBuyer } from '../support/http-client.ts';
import { buyerInBrowser, seatButton, waitForLook } from './support/buyers.ts';
import { browserPool } from './support/browser-pool.ts';
import { expectAccessible, expectText, openEvent, saveScreenshot } from './support/page-checks.ts';
import { cumulativeLayoutShift, layoutShifts } from './support/page-probes.ts';
import { startWebPlatform } from './support/web-platform.ts';

// The event page on a phone (390 × 844, an iPhone 12 to 15): a seat map far wider than the screen.
const phone = { width: 390, height: 844 };
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

/** The demo's arena: rows of 25 seats, about 810 px wide. */
async function arenaEvent(): Promise<{ eventId: number; seatIds: number[] }> {
  const created = await organizerClient.post('/api/admin/events', {
    name: 'The Famous Artist — World Tour',
    venue: 'Arena One',
    startsAt: '2027-06-12T18:00:00Z',
    onSaleAt: new Date(Date.now() - 60_000).toISOString(),
    sections: [
      { name: 'Front', rows: 4, seatsPerRow: 25, priceCents: 25_000 },
      { name: 'Floor', rows: 12, seatsPerRow: 25, priceCents: 12_000 },
      { name: 'Balcony', rows: 8, seatsPerRow: 25, priceCents: 6_500 },
    ],
  });
  expect(created.status).toBe(201);
  const eventId = created.body.event.id as number;
  await organizerClient.request('PUT', `/api/admin/events/${eventId}/poster`, { body: demoPosterPng(), headers: { 'content-type': 'image/png' } });
  const seats = (await organizerClient.get(`/api/events/${eventId}/seats`)).body.seats as { id: number }[];
  return { eventId, seatIds: seats.map((seat) => seat.id) };
}

type Box = { left: number; right: number; top: number; bottom: number };

async function box(locator: Locator): Promise<Box> {
  const found = await locator.boundingBox();
  if (!found) throw new Error('not rendered');
  return { left: found.x, right: found.x + found.width, top: found.y, bottom: found.y + found.height };
}

/** The part of the map's scroll box the buyer sees (its padding box, without a scrollbar). */
function visibleRectOfMap(page: Page): Promise<Box> {
  return page.evaluate(`(() => {
    const scroller = document.querySelector('.seat-map-scroll');
    const rect = scroller.getBoundingClientRect();
    const left = rect.left + scroller.clientLeft;
    const top = rect.top + scroller.clientTop;
    return { left, right: left + scroller.clientWidth, top, bottom: top + scroller.clientHeight };
  })()`) as Promise<Box>;
}

const inside = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 && inner.right <= outer.right + 0.5 && inner.top >= outer.top - 0.5 && inner.bottom <= outer.bottom + 0.5;

function scrollMapTo(page: Page, where: 'start' | 'end'): Promise<number> {
  return page.evaluate(`(() => {
    const scroller = document.querySelector('.seat-map-scroll');
    scroller.scrollLeft = ${where === 'end' ? 'scroller.scrollWidth' : '0'};
    return scroller.scrollLeft;
  })()`) as Promise<number>;
}

describe('the event page at phone width (390 px)', () => {
  it('keeps the stage, section names with prices and row letters in view while the map scrolls, with seats big enough to tap', async () => {
    const { eventId, seatIds } = await arenaEvent();
    const { page } = await browsers.launch(phone);
    await openEvent(page, api.url, eventId);
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), 'only the map scrolls sideways').toBe(true);

    const stage = page.locator('.stage');
    const front = page.getByRole('heading', { name: 'Front — $250.00' });
    const balcony = page.getByRole('heading', { name: 'Balcony — $65.00' });
    const firstRowLetter = page.locator('.seat-row').first().locator('.row-label').first();
    const firstSeat = seatButton(page, seatIds[0]!);
    const lastSeatOfFirstRow = seatButton(page, seatIds[24]!);

    for (const where of ['start', 'end'] as const) {
      const scrolled = await scrollMapTo(page, where);
      if (where === 'end') expect(scrolled, 'the map is wider than its box').toBeGreaterThan(300);
      const visible = await visibleRectOfMap(page);
      // The whole map's height is in the box; only its sides scroll out of view.
      for (const [name, element] of Object.entries({ stage, front, balcony, firstRowLetter })) {
        expect(inside(await box(element), visible), `${name} is in view at the ${where} of the map`).toBe(true);
      }
      expect(await firstRowLetter.innerText()).toBe('A');
      // The seat at the near end of the row shows; the far end has scrolled away.
      const [near, far] = where === 'start' ? [firstSeat, lastSeatOfFirstRow] : [lastSeatOfFirstRow, firstSeat];
      expect(inside(await box(near), visible), `the seat at the ${where} of row A is in view`).toBe(true);
      expect(inside(await box(far), visible)).toBe(false);
    }
    await page.evaluate(`window.scrollTo(0, document.querySelector('.seat-map-scroll').getBoundingClientRect().top + window.scrollY - 8)`);
    expect((await saveScreenshot(page, 'seat-map-phone-scrolled.png')).length).toBeGreaterThan(10_000);

    // Every seat is a target of at least 24 × 24 px (WCAG 2.2 target size), and one at the far end picks by tap.
    const sizes = (await page.evaluate(`[...document.querySelectorAll('.seat-map button.seat')].map((seat) => {
      const rect = seat.getBoundingClientRect();
      return Math.min(rect.width, rect.height);
    })`)) as number[];
    expect(sizes).toHaveLength(seatIds.length);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(24);
    await lastSeatOfFirstRow.click();
    await waitForLook(page, seatIds[24]!, 'selected');
    await expectAccessible(page, 'event page at 390 px, map scrolled');
    expect(cumulativeLayoutShift(await layoutShifts(page))).toBe(0);
  });

  it('shows the hold as a bar at the bottom that opens into the whole panel, by tap or keyboard', async () => {
    const { eventId, seatIds } = await arenaEvent();
    const { page, context } = await browsers.launch(phone);
    await buyerInBrowser(api.url, context, 'phone');
    // Some seats of others, so the screenshot shows every look.
    const other = (await newBuyer(api.url, 'neighbour')).client;
    const taken = await other.post(`/api/events/${eventId}/holds`, { seatIds: [5, 6, 31, 32, 33].map((i) => seatIds[i]) });
    await other.post(`/api/holds/${taken.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': 'phone-neighbour' });
    expect((await (await newBuyer(api.url, 'holder')).client.post(`/api/events/${eventId}/holds`, { seatIds: [seatIds[8], seatIds[9]] })).status).toBe(201);
    await openEvent(page, api.url, eventId);

    const panel = page.locator('.panel');
    const toggle = page.getByRole('button', { name: 'Details' });
    const summary = page.locator('.panel-summary');
    const heightShare = async () => (await box(panel)).bottom - (await box(panel)).top;
    const stuckToBottom = async () => {
      const { top, bottom } = await box(panel);
      return top < phone.height && Math.abs(bottom - phone.height) <= 1;
    };

    // Before a hold: the bar says what is picked and offers Hold.
    await seatButton(page, seatIds[2]!).click();
    await seatButton(page, seatIds[3]!).click();
    await expectText(summary, '2 seats · $500.00');
    expect(await stuckToBottom()).toBe(true);
    await page.locator('#hold-button').click();

    // Held: a bar of at most a fifth of the screen, with the time left and Buy; the details closed.
    await expect.poll(() => summary.innerText()).toMatch(/^2 seats · (9|10):\d\d left · \$500\.00$/);
    await waitForLook(page, seatIds[2]!, 'mine');
    expect(await stuckToBottom()).toBe(true);
    const closedHeight = await heightShare();
    expect(closedHeight / phone.height).toBeLessThanOrEqual(0.2);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.locator('#buy-button').isVisible()).toBe(true);
    expect(await page.getByRole('heading', { name: 'Seats held for you' }).isVisible()).toBe(false);
    expect(await page.locator('#release-button').isVisible()).toBe(false);
    expect(await page.evaluate(`document.activeElement?.id`), 'focus moves to the bar after holding').toBe('panel-summary');
    await expectAccessible(page, 'hold bar closed at 390 px');
    await page.locator('img.poster').evaluate('(img) => img.decode()');
    expect((await saveScreenshot(page, 'seat-map-phone.png')).length).toBeGreaterThan(20_000);

    // Details by tap: the whole panel, countdown, seats and Release.
    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('heading', { name: 'Seats held for you' }).waitFor();
    expect(await page.getByRole('timer').isVisible()).toBe(true);
    await expectText(panel, 'Front row A seat 3');
    expect(await page.locator('#release-button').isVisible()).toBe(true);
    expect(await heightShare()).toBeGreaterThan(closedHeight + 100);
    await expectAccessible(page, 'hold panel open at 390 px');
    expect((await saveScreenshot(page, 'seat-map-phone-details.png')).length).toBeGreaterThan(20_000);

    // By keyboard: Escape closes it and leaves focus on Details; Enter and Space toggle it.
    await page.locator('#release-button').focus();
    await page.keyboard.press('Escape');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.evaluate(`document.activeElement?.getAttribute('aria-controls')`)).toBe('panel-details');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.keyboard.press('Space');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    // Buy from the closed bar.
    await page.locator('#buy-button').click();
    await page.getByRole('heading', { name: 'Thank you! Your tickets are booked' }).waitFor();
  });
});
