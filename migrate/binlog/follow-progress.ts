import type { BinlogPosition } from './binlog-position.ts';

/** What the follower reports every second: progress as plain data; rendering is the caller's. */
export interface FollowProgress {
  /** Seconds between the source committing the oldest change not yet applied and now (0 when all received changes are applied). */
  readonly lagSeconds: number;
  /** Row changes received from the source but not yet committed on the target. */
  readonly eventsBehind: number;
  /** Row changes applied per second over the last few seconds. */
  readonly eventsPerSecond: number;
  /** Row changes applied since this follower started. */
  readonly applied: number;
  /** Bytes of binlog between the applied position and the source's current one (same file only). */
  readonly bytesBehind?: number;
  readonly position: BinlogPosition;
}

/** Sliding window of applied counts, for a rate that follows the current pace. */
export class RateWindow {
  private readonly samples: { at: number; count: number }[] = [];

  constructor(private readonly windowMs = 5_000) {}

  add(count: number, at = Date.now()): void {
    this.samples.push({ at, count });
    this.trim(at);
  }

  perSecond(now = Date.now()): number {
    this.trim(now);
    if (!this.samples.length) return 0;
    const total = this.samples.reduce((sum, sample) => sum + sample.count, 0);
    const span = Math.max(1_000, now - this.samples[0]!.at);
    return Math.round((total / span) * 1000);
  }

  private trim(now: number): void {
    while (this.samples.length && this.samples[0]!.at < now - this.windowMs) this.samples.shift();
  }
}
