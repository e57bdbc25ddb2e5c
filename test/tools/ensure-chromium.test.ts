import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chromiumPlan, debianChromiumPath } from '../../tools/ensure-chromium.mjs';

const script = fileURLToPath(new URL('../../tools/ensure-chromium.mjs', import.meta.url));
const debian = { path: debianChromiumPath, exists: false, isRoot: true, hasAptGet: true };

describe('ensure-chromium (npm test installs the browser the browser tests need)', () => {
  it('installs Debian\'s chromium only when it is missing and this is root with apt-get', () => {
    expect(chromiumPlan(debian)).toEqual({ action: 'install' });
    expect(chromiumPlan({ ...debian, exists: true })).toEqual({ action: 'present' });
    expect(chromiumPlan({ ...debian, path: '/opt/chromium/chrome', exists: true })).toEqual({ action: 'present' });
  });

  it.each([
    [{ ...debian, isRoot: false }, /not running as root; install it with: sudo apt-get install chromium$/],
    [{ ...debian, hasAptGet: false }, /no apt-get on this machine; install Chromium and set CHROMIUM_PATH/],
    // apt-get would not put a browser at a path of the user's choosing.
    [{ ...debian, path: '/opt/chromium/chrome' }, /^CHROMIUM_PATH=\/opt\/chromium\/chrome is not an executable file/],
  ])('does not try when it cannot (%o) and says why', (facts, reason) => {
    const plan = chromiumPlan(facts);
    expect(plan.action).toBe('cannot');
    expect(plan.action === 'cannot' && plan.reason).toMatch(reason);
  });

  it('reports in one line, changes nothing and exits 0 in --dry-run, so npm test goes on to run every test', () => {
    const missing = spawnSync(process.execPath, [script, '--dry-run'], {
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      encoding: 'utf8',
    });
    expect(missing.status).toBe(0);
    expect(missing.stderr).toBe('npm test: the browser tests (test/web) will fail: CHROMIUM_PATH=/nonexistent/chromium is not an executable file; '
      + `point it at a Chromium or unset it to use Debian's ${debianChromiumPath}\n`);
    expect(missing.stdout).toBe('');
  });
});
