import { describe, expect, it } from 'vitest';
import { launchBrowser } from './support/chromium.ts';

describe('a machine without Chromium', () => {
  it('fails a browser test with one line naming the missing executable and how to install it', async () => {
    const error: Error = await launchBrowser(undefined, '/nonexistent/chromium').then(() => { throw new Error('launched'); }, (e: Error) => e);
    expect(error.message).toBe('Chromium not found at /nonexistent/chromium: the browser tests need it; install it with `apt-get install chromium` '
      + '(npm test does this when run as root) or set CHROMIUM_PATH to a Chromium executable');
    expect(error.stack).not.toContain('\n');
  });
});
