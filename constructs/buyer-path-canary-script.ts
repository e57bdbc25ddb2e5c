/**
 * The canary's script (CloudWatch Synthetics, Node.js Puppeteer runtime): the buyer's path through the
 * site's public address, home → an event → its seat map, each a Synthetics step (screenshots, timings,
 * per-step metrics). It never holds or buys: a canary must not take seats from buyers.
 *
 * No event on sale ends the walk at the home page, successfully: an empty catalogue is not an outage.
 * An event whose waiting room is open shows the queue screen instead of the seat map; that is the page a
 * buyer would see, so it counts as reached.
 */
export const BUYER_PATH_CANARY_SCRIPT = `
const synthetics = require('Synthetics');
const log = require('SyntheticsLogger');

const TIMEOUT_MS = 30000;

/** The site shows the API's errors in a .message-error box (web/src/dom.ts messageBox). */
async function failOnErrorMessage(page, where) {
  const box = await page.$('.message-error');
  if (box) throw new Error(where + ' shows an error: ' + (await page.evaluate((el) => el.textContent, box)));
}

exports.handler = async function () {
  const site = process.env.SITE_URL.replace(/\\/$/, '');
  const page = await synthetics.getPage();

  await synthetics.executeStep('home', async function () {
    const response = await page.goto(site + '/', { waitUntil: 'domcontentloaded', timeout: TIMEOUT_MS });
    if (!response || response.status() >= 400) throw new Error('home answered ' + (response ? response.status() : 'nothing'));
    // The list, the empty-catalogue sentence, or an error box: the page rendered the API's answer.
    await page.waitForSelector('.event-list, main p:not(.lead), .message', { timeout: TIMEOUT_MS });
    await failOnErrorMessage(page, 'home');
  });

  const eventHref = await page.$eval('.event-list a[data-link]', (a) => a.getAttribute('href')).catch(() => null);
  if (!eventHref) {
    log.info('No event on sale: the walk ends at the home page.');
    return;
  }

  await synthetics.executeStep('event', async function () {
    const response = await page.goto(site + eventHref, { waitUntil: 'domcontentloaded', timeout: TIMEOUT_MS });
    if (!response || response.status() >= 400) throw new Error(eventHref + ' answered ' + (response ? response.status() : 'nothing'));
    await page.waitForSelector('main h1', { timeout: TIMEOUT_MS });
  });

  await synthetics.executeStep('seat map', async function () {
    await page.waitForSelector('.seat-map .seat, .queue-status, .message-error', { timeout: TIMEOUT_MS });
    await failOnErrorMessage(page, eventHref);
  });
};
`;
