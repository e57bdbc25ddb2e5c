import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

// Scripts run inside the page. They are strings because the test project compiles without DOM types.

/** Records every layout-shift entry of the page from its first paint on (install before navigating). */
export const layoutShiftRecorder = `
  window.__layoutShifts = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      window.__layoutShifts.push({ value: entry.value, hadRecentInput: entry.hadRecentInput, at: entry.startTime });
    }
  }).observe({ type: 'layout-shift', buffered: true });
`;

export interface LayoutShift {
  value: number;
  hadRecentInput: boolean;
  at: number;
}

export function layoutShifts(page: Page): Promise<LayoutShift[]> {
  return page.evaluate('window.__layoutShifts ?? []') as Promise<LayoutShift[]>;
}

/** Cumulative layout shift as browsers score it: shifts right after user input do not count. */
export const cumulativeLayoutShift = (shifts: LayoutShift[]): number =>
  shifts.filter((shift) => !shift.hadRecentInput).reduce((sum, shift) => sum + shift.value, 0);

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

let axeSource: Promise<string> | undefined;

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, so the page's Content-Security-Policy does not block it.
  await page.evaluate(await axeSource);
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map(
    (v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target })) })))`)) as AxeViolation[];
  return violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
}
