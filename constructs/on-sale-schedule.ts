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

/** One scheduled change of the Auto Scaling group's minimum size. */
export interface ScheduledCapacity {
  readonly id: string;
  readonly startTime: string;
  readonly minSize: number;
}

/**
 * Turns on-sale windows into scheduled actions: raise the minimum `lead` before each window,
 * restore it when the window ends. Windows whose pre-warm time has passed by `now` are left out:
 * Auto Scaling rejects a start time in the past, and a past sale needs no capacity.
 * Pure, so the plan is testable without synthesising.
 */
export function planPrewarm(
  windows: readonly OnSaleWindow[],
  lead: Duration,
  prewarmCapacity: number,
  baseCapacity: number,
  now: number = Date.now(),
): ScheduledCapacity[] {
  const names = new Set<string>();
  return windows.flatMap((window) => {
    if (!/^[A-Za-z0-9-]{1,40}$/.test(window.name) || names.has(window.name)) {
      throw new Error(`On-sale window name "${window.name}" is invalid; use a unique name of letters, digits and dashes (at most 40).`);
    }
    names.add(window.name);
    const startsAt = Date.parse(window.startsAt);
    if (!/Z$|[+-]\d\d:\d\d$/.test(window.startsAt) || Number.isNaN(startsAt)) {
      throw new Error(`On-sale window "${window.name}" startsAt "${window.startsAt}" is not an ISO 8601 timestamp with a zone; use e.g. 2027-06-01T17:00:00Z.`);
    }
    if (!Number.isInteger(window.durationMinutes) || window.durationMinutes < 1) {
      throw new Error(`On-sale window "${window.name}" durationMinutes ${window.durationMinutes} is invalid; use a whole number of minutes, at least 1.`);
    }
    const endsAt = startsAt + window.durationMinutes * 60_000;
    const prewarmAt = startsAt - lead.toMilliseconds();
    if (prewarmAt <= now) return [];
    return [
      { id: `Prewarm-${window.name}`, startTime: toSchedulerTime(prewarmAt), minSize: prewarmCapacity },
      { id: `Release-${window.name}`, startTime: toSchedulerTime(endsAt), minSize: baseCapacity },
    ];
  });
}

/** Auto Scaling wants `YYYY-MM-DDThh:mm:ssZ` without milliseconds. */
function toSchedulerTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
