import { constants } from 'node:fs';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Response } from 'playwright-core';
import { isApiPath, type ReceivedAnswer } from '../../support/contract.ts';
import { checkAnswer } from '../../support/contract-setup.ts';

/** Debian's Chromium (`apt-get install chromium`; `npm test` installs it when missing and it can), or `CHROMIUM_PATH`. */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * One browser of its own: a Chromium process with a fresh profile directory (its own cookies and
 * sessionStorage), so two of them are two independent buyers.
 */
export async function launchBrowser(viewport = { width: 1280, height: 900 }, executablePath = chromiumPath): Promise<TestBrowser> {
  await assertExecutable(executablePath);
  const userDataDir = await mkdtemp(join(tmpdir(), 'ticketkit-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: chromiumArgs,
    viewport,
    timeout: 30_000,
  });
  context.setDefaultTimeout(15_000);
  // The page's API answers are held to the OpenAPI document like every other client's.
  context.on('response', (response) => {
    if (isApiPath(new URL(response.url()).pathname)) checkAnswer(receivedBy(response));
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/** An answer as the page received it (null when its body is gone, e.g. the browser closed first). */
async function receivedBy(response: Response): Promise<ReceivedAnswer | null> {
  const method = response.request().method();
  const status = response.status();
  const headers = new Headers();
  // Playwright joins repeated headers (Set-Cookie) with newlines.
  for (const [name, value] of Object.entries(await response.allHeaders())) for (const line of value.split('\n')) headers.append(name, line);
  const text = method === 'HEAD' || status === 204 || status === 304 ? '' : await response.text().catch(() => null);
  return text === null ? null : { method, path: new URL(response.url()).pathname, status, headers, text };
}

/**
 * A missing browser fails the test with one line that says what to install (never a skip: a machine
 * without Chromium has not run the browser tests), not with playwright's screenful about its own downloads.
 */
async function assertExecutable(path: string): Promise<void> {
  const usable = await access(path, constants.X_OK).then(() => true, () => false);
  if (usable) return;
  const error = new Error(
    `Chromium not found at ${path}: the browser tests need it; install it with \`apt-get install chromium\` ` +
      '(npm test does this when run as root) or set CHROMIUM_PATH to a Chromium executable',
  );
  error.stack = `Error: ${error.message}`;
  throw error;
}
