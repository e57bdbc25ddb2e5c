// Run by `npm test` (pretest): the browser tests (test/web) drive Debian's Chromium, which no npm
// package brings (Playwright's browser downloads are unreachable here). Installs it with apt-get when
// it is missing and this machine allows it; otherwise says so in one line and lets the tests run, so
// the browser tests fail with their own one-line reason rather than being skipped.
//
//   node tools/ensure-chromium.mjs            install when missing and possible
//   node tools/ensure-chromium.mjs --dry-run  only print what it would do
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Where Debian's `chromium` package puts the browser; test/web/support/chromium.ts looks here too. */
export const debianChromiumPath = '/usr/bin/chromium';

export const installCommand = 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium';

/**
 * What to do, from the facts about this machine (pure, so a test can cover every case without
 * uninstalling anything):
 * - `present`: the executable is there;
 * - `install`: Debian's path (the default) is missing, and we are root with apt-get;
 * - `cannot`: missing and not installable from here; `reason` says why and what to run.
 *
 * @param {{ path: string, exists: boolean, isRoot: boolean, hasAptGet: boolean }} facts
 * @returns {{ action: 'present' } | { action: 'install' } | { action: 'cannot', reason: string }}
 */
export function chromiumPlan({ path, exists, isRoot, hasAptGet }) {
  if (exists) return { action: 'present' };
  // A browser chosen by CHROMIUM_PATH elsewhere is the user's to provide: apt-get would not put it there.
  if (path !== debianChromiumPath) return { action: 'cannot', reason: `CHROMIUM_PATH=${path} is not an executable file; point it at a Chromium or unset it to use Debian's ${debianChromiumPath}` };
  if (!hasAptGet) return { action: 'cannot', reason: `no ${path} and no apt-get on this machine; install Chromium and set CHROMIUM_PATH to it` };
  if (!isRoot) return { action: 'cannot', reason: `no ${path} and not running as root; install it with: sudo apt-get install chromium` };
  return { action: 'install' };
}

function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function machineFacts(env) {
  const path = env.CHROMIUM_PATH || debianChromiumPath;
  const hasAptGet = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
  return { path, exists: isExecutable(path), isRoot: process.getuid?.() === 0, hasAptGet };
}

function main() {
  const dryRun = process.argv.includes('--dry-run');
  const plan = chromiumPlan(machineFacts(process.env));
  const say = (line) => console.error(`npm test: ${line}`);
  if (plan.action === 'present') {
    if (dryRun) say('chromium is installed; nothing to do');
    return;
  }
  if (plan.action === 'cannot') {
    say(`the browser tests (test/web) will fail: ${plan.reason}`);
    return;
  }
  if (dryRun) {
    say(`would install Debian's chromium for the browser tests: ${installCommand}`);
    return;
  }
  say("installing Debian's chromium for the browser tests (apt-get install chromium, about a minute)");
  const installed = spawnSync('sh', ['-c', installCommand], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (installed.status !== 0 || !isExecutable(debianChromiumPath)) {
    const cause = installed.stderr?.trim().split('\n').at(-1) || `exit code ${installed.status}`;
    say(`could not install chromium (${cause}); the browser tests (test/web) will fail. Run: ${installCommand}`);
  }
}

// Imported by its test for chromiumPlan; run as a script by npm.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
