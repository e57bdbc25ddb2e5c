import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoPosterPng } from '../../app/demo/demo-poster.ts';
import type { TestInstance, TestPlatform } from '../support/api.ts';
import { createEvent, HttpClient, newBuyer } from '../support/http-client.ts';
import { buyerInBrowser } from './support/buyers.ts';
import { browserPool } from './support/browser-pool.ts';
import { consoleProblems, expectAccessible, openEvent, saveScreenshot } from './support/page-checks.ts';
import { startWebPlatform } from './support/web-platform.ts';

// The events list at desktop and phone width, where "Log in" leads back to, My tickets, a quiet console.
let platform: TestPlatform;
let api: TestInstance;
let organizerClient: HttpClient;
const browsers = browserPool();
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };
const password = 'correct horse battery';

beforeAll(async () => {
  ({ platform, api, organizerClient } = await startWebPlatform());
  // Three events with posters, on sale, at evening hours (UTC: the browser runs in the machine's zone).
  const concerts = [
    ['The Famous Artist — World Tour', 'Arena One', '2027-06-12T18:00:00Z', 250],
    ['Winter Nights: Chamber Orchestra', 'Concert Hall', '2027-01-15T19:30:00Z', 120],
    ['Late Show at the Comedy Cellar', 'The Cellar', '2027-02-02T21:00:00Z', 60],
  ] as const;
  for (const [name, venue, startsAt, rows] of concerts) {
    const created = await organizerClient.post('/api/admin/events', {
      name,
      venue,
      startsAt,
      onSaleAt: new Date(Date.now() - 60_000).toISOString(),
      sections: [{ name: 'Floor', rows: rows / 10, seatsPerRow: 10, priceCents: 5_000 }],
    });
    expect(created.status).toBe(201);
    const poster = await organizerClient.request('PUT', `/api/admin/events/${created.body.event.id}/poster`, {
      body: demoPosterPng(),
      headers: { 'content-type': 'image/png' },
    });
    expect(poster.status).toBe(200);
  }
});

afterAll(async () => {
  await browsers.closeAll();
  await platform?.stop();
});

type Card = { x: number; y: number; width: number; posterWidth: number };

async function eventCards(page: Page): Promise<{ cards: Card[]; listWidth: number }> {
  await page.waitForSelector('.event-card');
  await page.evaluate(`Promise.all([...document.querySelectorAll('img.poster')].map((img) => img.decode()))`);
  return (await page.evaluate(`(() => ({
    listWidth: document.querySelector('.event-list').getBoundingClientRect().width,
    cards: [...document.querySelectorAll('.event-card')].map((card) => {
      const rect = card.getBoundingClientRect();
      return { x: rect.x, y: rect.y, width: rect.width, posterWidth: card.querySelector('.poster').getBoundingClientRect().width };
    }),
  }))()`)) as { cards: Card[]; listWidth: number };
}

async function submitLogin(page: Page, email: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

describe('the events list', () => {
  it('fills a desktop page with a grid of large cards, and is one column on a phone', async () => {
    const wide = (await browsers.launch(desktop)).page;
    await wide.goto(`${api.url}/`);
    const { cards, listWidth } = await eventCards(wide);
    expect(cards.length).toBeGreaterThanOrEqual(3);
    const firstRow = cards.filter((card) => Math.abs(card.y - cards[0]!.y) < 1);
    expect(firstRow.length, 'cards per row at 1280 px').toBeGreaterThanOrEqual(2);
    const rowWidth = firstRow.at(-1)!.x + firstRow.at(-1)!.width - firstRow[0]!.x;
    expect(rowWidth / listWidth, 'the row of cards spans the list').toBeGreaterThan(0.98);
    expect(listWidth).toBeGreaterThan(1000);
    expect(Math.min(...cards.map((card) => card.posterWidth))).toBeGreaterThanOrEqual(160);
    await expectAccessible(wide, 'events list at 1280 px');
    expect((await saveScreenshot(wide, 'home.png')).length).toBeGreaterThan(20_000);

    const narrow = (await browsers.launch(phone)).page;
    await narrow.goto(`${api.url}/`);
    const onPhone = await eventCards(narrow);
    for (const card of onPhone.cards) {
      expect(card.x).toBe(onPhone.cards[0]!.x);
      expect(Math.abs(card.width - onPhone.listWidth)).toBeLessThan(1);
      expect(card.posterWidth).toBeGreaterThanOrEqual(100);
    }
    expect(await narrow.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await expectAccessible(narrow, 'events list at 390 px');
    expect((await saveScreenshot(narrow, 'home-phone.png')).length).toBeGreaterThan(20_000);
  });

  it('logs no console error or warning on the logged-out home and event pages, and asks /api/session, not /api/me', async () => {
    const { eventId } = await createEvent(organizerClient);
    const { page } = await browsers.launch(desktop);
    const problems = consoleProblems(page);
    const asked: string[] = [];
    page.on('request', (request) => asked.push(new URL(request.url()).pathname));
    await page.goto(`${api.url}/`);
    await page.waitForSelector('.event-card');
    await page.locator(`a[href="/events/${eventId}"]`).click();
    await page.waitForSelector('.seat-map button.seat');
    // A second visit to the map (a 304) and a reload of the event page itself.
    await expect.poll(() => asked.filter((path) => path === `/api/events/${eventId}/seats`).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await openEvent(page, api.url, eventId);
    expect(problems).toEqual([]);
    expect(asked).toContain('/api/session');
    expect(asked).not.toContain('/api/me');
  });
});

describe('logging in', () => {
  it('leads back to the page the buyer was on, from the nav link and after creating an account', async () => {
    const { eventId } = await createEvent(organizerClient);
    const { email } = await newBuyer(api.url, 'returning');
    const { page } = await browsers.launch(desktop);
    const eventPath = `/events/${eventId}`;

    await openEvent(page, api.url, eventId);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?next=${encodeURIComponent(eventPath)}`);
    await submitLogin(page, email);
    await page.getByText('Signed in as returning').waitFor();
    expect(new URL(page.url()).pathname).toBe(eventPath);
    await page.waitForSelector('.seat-map button.seat');

    // Logged out on the event page, then Create account from the nav, by way of the login page.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    await openEvent(page, api.url, eventId);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('heading', { name: 'Create an account' }).waitFor();
    expect(new URL(page.url()).search).toBe(`?next=${encodeURIComponent(eventPath)}`);
    expect(await page.getByRole('link', { name: 'Create account' }).getAttribute('href'), 'the nav keeps the way back too').toBe(`/register?next=${encodeURIComponent(eventPath)}`);
    await page.getByLabel('Name').fill('Newcomer');
    await page.getByLabel('Email').fill(`newcomer-${Date.now()}@test.local`);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Signed in as Newcomer').waitFor();
    expect(new URL(page.url()).pathname).toBe(eventPath);
  });

  it('never leads to another site or back to a login page, whatever ?next= says', async () => {
    const { email } = await newBuyer(api.url, 'careful');
    const { page } = await browsers.launch(desktop);
    const home = `${api.url}/`;
    for (const next of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/\t/evil.example', '\\\\evil.example', 'javascript:alert(1)', '/login', '/register?next=/x']) {
      await page.goto(`${api.url}/login?next=${encodeURIComponent(next)}`);
      await submitLogin(page, email);
      await page.getByText('Signed in as careful').waitFor();
      await page.getByRole('heading', { name: 'Events' }).waitFor();
      expect(page.url(), `next=${JSON.stringify(next)}`).toBe(home);
      await page.context().clearCookies();
    }
    // A path of the site itself, with its query, is followed.
    await page.goto(`${api.url}/login?next=${encodeURIComponent('/tickets?from=mail')}`);
    await submitLogin(page, email);
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    expect(page.url()).toBe(`${api.url}/tickets?from=mail`);
  });
});

describe('My tickets', () => {
  it('lists the newest order first', async () => {
    const { eventId, seatIds } = await createEvent(organizerClient);
    const { page, context } = await browsers.launch(desktop);
    const buyer = await buyerInBrowser(api.url, context, 'collector');
    const orderIds: number[] = [];
    for (const [index, seatId] of [seatIds[0], seatIds[1]].entries()) {
      const hold = await buyer.post(`/api/events/${eventId}/holds`, { seatIds: [seatId] });
      const order = await buyer.post(`/api/holds/${hold.body.hold.id}/purchase`, undefined, { 'Idempotency-Key': `order-${index}` });
      orderIds.push(order.body.order.id);
    }
    await page.goto(`${api.url}/tickets`);
    await page.getByRole('heading', { name: 'My tickets' }).waitFor();
    const shown = await page.locator('article.order').evaluateAll((orders) => orders.map((order) => order.getAttribute('aria-label')));
    expect(shown).toEqual([`Order ${orderIds[1]}`, `Order ${orderIds[0]}`]);
  });
});
