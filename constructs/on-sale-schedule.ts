import type { Duration } from 'aws-cdk-lib';

/** A declared on-sale: capacity is pre-warmed before it starts and released after it ends. */
export interface OnSaleWindow {
  /** Short name, used in the scheduled actions' ids (letters, digits, dashes). */
  readonly name: string;
  /** When sales open, as an ISO 8601 UTC timestamp, e.g. `2027-06-01T17:00:00Z`. */
  readonly startsAt: string;
  /** How long the rush lasts, in minutes. */
  readonly durationMinutes: number;
}

/** One recurring scheduled change of the Auto Scaling group's minimum size. */
export interface ScheduledCapacity {
  readonly id: string;
  /** Unix cron (UTC) naming the window's own day(s), hours and minutes: it never needs a StartTime. */
  readonly recurrence: string;
  /** After the window's last firing; stops the cron's yearly repeat. */
  readonly endTime: string;
  readonly minSize: number;
}

/** How often an action fires within its span: a firing missed (suspended during a deploy, a reset minimum) is made up within this. */
export const REPEAT_EVERY_MINUTES = 5;
/** How long after a window the base minimum keeps being restored. */
export const RELEASE_MINUTES = 30;
/** Auto Scaling allows 125 scheduled actions per group; leave room for the operator's own. */
const MAX_ACTIONS = 100;
const MINUTE = 60_000;

/**
 * Turns on-sale windows into scheduled actions without reading the clock: the same windows give the same
 * template whenever it is synthesised. Each action is a cron that names the window's UTC day, hours and
 * minutes and repeats every {@link REPEAT_EVERY_MINUTES} minutes: the minimum is raised to `prewarmCapacity`
 * from `lead` before the window until it ends, then restored to `baseCapacity` for {@link RELEASE_MINUTES}.
 *
 * No action has a StartTime, which Auto Scaling refuses once it has passed; every EndTime is the end of
 * the release, so a deploy at any time before then creates all of a window's actions, and one during the
 * window still raises the minimum at the next firing. Pure, so the plan is testable without synthesising.
 */
export function planPrewarm(windows: readonly OnSaleWindow[], lead: Duration, prewarmCapacity: number, baseCapacity: number): ScheduledCapacity[] {
  const names = new Set<string>();
  const spans = windows.map((window) => {
    if (names.has(window.name)) throw new Error(`On-sale window name "${window.name}" is used twice; give each window a unique name.`);
    names.add(window.name);
    return windowSpan(window, lead);
  });
  rejectOverlaps(spans);
  const actions = spans.flatMap(({ window, prewarmAt, endsAt, releasedAt }) => {
    const endTime = toSchedulerTime(releasedAt);
    const prewarm = cronsCovering(prewarmAt, endsAt).map((recurrence, i) => ({ id: `Prewarm-${window.name}-${i + 1}`, recurrence, endTime, minSize: prewarmCapacity }));
    const release = cronsCovering(endsAt, releasedAt).map((recurrence, i) => ({ id: `Release-${window.name}-${i + 1}`, recurrence, endTime, minSize: baseCapacity }));
    return [...prewarm, ...release];
  });
  if (actions.length > MAX_ACTIONS) {
    throw new Error(`On-sale windows need ${actions.length} scheduled actions, more than ${MAX_ACTIONS} (Auto Scaling allows 125 per group); shorten or merge windows (each UTC day of a window takes up to 3).`);
  }
  return actions;
}

interface WindowSpan {
  readonly window: OnSaleWindow;
  readonly prewarmAt: number;
  readonly endsAt: number;
  readonly releasedAt: number;
}

function windowSpan(window: OnSaleWindow, lead: Duration): WindowSpan {
  if (!/^[A-Za-z0-9-]{1,40}$/.test(window.name)) {
    throw new Error(`On-sale window name "${window.name}" is invalid; use letters, digits and dashes (at most 40).`);
  }
  const startsAt = Date.parse(window.startsAt);
  if (!/Z$|[+-]\d\d:\d\d$/.test(window.startsAt) || Number.isNaN(startsAt)) {
    throw new Error(`On-sale window "${window.name}" startsAt "${window.startsAt}" is not an ISO 8601 timestamp with a zone; use e.g. 2027-06-01T17:00:00Z.`);
  }
  if (!Number.isInteger(window.durationMinutes) || window.durationMinutes < 1) {
    throw new Error(`On-sale window "${window.name}" durationMinutes ${window.durationMinutes} is invalid; use a whole number of minutes, at least 1.`);
  }
  // Cron has minute precision: pre-warm on the minute at or before, release on the minute at or after.
  const prewarmAt = Math.floor((startsAt - lead.toMilliseconds()) / MINUTE) * MINUTE;
  const endsAt = Math.ceil((startsAt + window.durationMinutes * MINUTE) / MINUTE) * MINUTE;
  return { window, prewarmAt, endsAt, releasedAt: endsAt + RELEASE_MINUTES * MINUTE };
}

function rejectOverlaps(spans: readonly WindowSpan[]): void {
  const sorted = [...spans].sort((a, b) => a.prewarmAt - b.prewarmAt);
  for (const [i, span] of sorted.entries()) {
    const next = sorted[i + 1];
    if (next && next.prewarmAt < span.releasedAt) {
      throw new Error(
        `On-sale windows "${span.window.name}" and "${next.window.name}" overlap: the first is pre-warmed and released from ${toSchedulerTime(span.prewarmAt)} to ${toSchedulerTime(span.releasedAt)}, the second pre-warms at ${toSchedulerTime(next.prewarmAt)}; merge them into one window or start the second later.`,
      );
    }
  }
}

/**
 * Crons firing every {@link REPEAT_EVERY_MINUTES} minutes from `from` (inclusive) to `to` (exclusive), both
 * whole UTC minutes: per UTC day, one for a partial first hour, one for the whole hours, one for a partial last hour.
 */
export function cronsCovering(from: number, to: number): string[] {
  const crons: string[] = [];
  for (let dayStart = Math.floor(from / 86_400_000) * 86_400_000; dayStart < to; dayStart += 86_400_000) {
    const first = Math.max(from, dayStart);
    const last = Math.min(to, dayStart + 86_400_000) - MINUTE; // inclusive
    if (last < first) continue;
    const day = new Date(dayStart);
    const date = `${day.getUTCDate()} ${day.getUTCMonth() + 1} *`;
    const [h1, m1] = hourMinute(first);
    const [h2, m2] = hourMinute(last);
    const every = `/${REPEAT_EVERY_MINUTES}`;
    if (h1 === h2) {
      crons.push(`${minutes(m1, m2, every)} ${h1} ${date}`);
      continue;
    }
    const fullFrom = m1 === 0 ? h1 : h1 + 1;
    const fullTo = m2 === 59 ? h2 : h2 - 1;
    if (m1 !== 0) crons.push(`${minutes(m1, 59, every)} ${h1} ${date}`);
    if (fullFrom <= fullTo) crons.push(`*${every} ${fullFrom === fullTo ? fullFrom : `${fullFrom}-${fullTo}`} ${date}`);
    if (m2 !== 59) crons.push(`${minutes(0, m2, every)} ${h2} ${date}`);
  }
  return crons;
}

function hourMinute(epochMs: number): [number, number] {
  const time = new Date(epochMs);
  return [time.getUTCHours(), time.getUTCMinutes()];
}

function minutes(from: number, to: number, every: string): string {
  if (from === 0 && to === 59) return `*${every}`;
  return from === to ? String(from) : `${from}-${to}${every}`;
}

/** Auto Scaling wants `YYYY-MM-DDThh:mm:ssZ` without milliseconds. */
function toSchedulerTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
