import type { BrowserContext, Page } from 'playwright-core';
import { HttpClient, newBuyer } from '../../support/http-client.ts';

/** A buyer registered and logged in over HTTP, whose session cookie is also put into a browser. */
export async function buyerInBrowser(baseUrl: string, context: BrowserContext, label: string): Promise<HttpClient> {
  const { client } = await newBuyer(baseUrl, label);
  await context.addCookies([...client.cookies].map(([name, value]) => ({ name, value, url: baseUrl })));
  return client;
}

/** An HTTP client with the browser's cookies: the same buyer, to check what the API recorded. */
export async function clientOf(baseUrl: string, context: BrowserContext): Promise<HttpClient> {
  const client = new HttpClient(baseUrl);
  for (const cookie of await context.cookies(baseUrl)) client.cookies.set(cookie.name, cookie.value);
  return client;
}

export const seatButton = (page: Page, seatId: number) => page.locator(`button.seat[data-seat-id="${seatId}"]`);

/** Waits until a seat is drawn with a given look (available, selected, mine, held, sold). */
export async function waitForLook(page: Page, seatId: number, look: string, timeout = 15_000): Promise<void> {
  await page.waitForSelector(`button.seat[data-seat-id="${seatId}"][data-look="${look}"]`, { timeout, state: 'attached' });
}
