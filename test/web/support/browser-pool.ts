import { launchBrowser, type TestBrowser } from './chromium.ts';
import { layoutShiftRecorder } from './page-probes.ts';

/**
 * The browsers a test file opens: each its own Chromium (an independent buyer) recording layout shifts
 * from its first paint. `closeAll` in afterAll.
 */
export function browserPool() {
  const open: TestBrowser[] = [];
  return {
    async launch(viewport?: { width: number; height: number }): Promise<TestBrowser> {
      const launched = await launchBrowser(viewport);
      open.push(launched);
      await launched.page.addInitScript(layoutShiftRecorder);
      return launched;
    },
    async closeAll(): Promise<void> {
      await Promise.all(open.map((browser) => browser.close()));
    },
  };
}
