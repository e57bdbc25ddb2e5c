import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { seriousAxeViolations } from './page-probes.ts';

export async function openEvent(page: Page, baseUrl: string, eventId: number): Promise<void> {
  await page.goto(`${baseUrl}/events/${eventId}`);
  await page.waitForSelector('.seat-map button.seat');
}

/** axe-core finds no serious or critical violation on the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const violations = await seriousAxeViolations(page);
  expect(violations, `${where}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

/** Waits until the element's text contains `text` (the page updates asynchronously). */
export async function expectText(locator: Locator, text: string): Promise<void> {
  await expect.poll(() => locator.first().innerText(), { timeout: 10_000 }).toContain(text);
}

/** Presses Tab until the focused element matches, proving it is reachable by keyboard. */
export async function tabTo(page: Page, selector: string, maxTabs = 60): Promise<void> {
  for (let i = 0; i < maxTabs; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(`document.activeElement?.matches(${JSON.stringify(selector)}) ?? false`)) return;
  }
  throw new Error(`${selector} is not reachable with Tab`);
}

/** Every console error or warning and uncaught exception of the page from now on, as text. */
export function consoleProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`${message.type()}: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  return problems;
}

/**
 * Saves a screenshot of `target` (a page: what its viewport shows). The committed pictures in docs/ are refreshed on request only
 * (UPDATE_SCREENSHOTS=1), so a test run leaves the work tree clean; otherwise they go to .local/screenshots/.
 */
export async function saveScreenshot(target: Locator | Page, name: string): Promise<Buffer> {
  const folder = process.env.UPDATE_SCREENSHOTS === '1' ? '../../../docs/' : '../../../.local/screenshots/';
  await mkdir(fileURLToPath(new URL(folder, import.meta.url)), { recursive: true });
  await ('mouse' in target ? target : target.page()).mouse.move(0, 0);
  const picture = await target.screenshot({ path: fileURLToPath(new URL(`${folder}${name}`, import.meta.url)), animations: 'disabled', caret: 'hide' });
  expect(picture.subarray(1, 4).toString('latin1')).toBe('PNG');
  return picture;
}
