import type { ProgressSnapshot } from './counters.ts';

export interface RateEstimate {
  readonly elapsedSeconds: number;
  /** Items (rows or files) per second since the start. */
  readonly itemsPerSecond: number;
  readonly bytesPerSecond: number;
  /** Seconds left at the current rate, or undefined when it cannot be estimated yet. */
  readonly etaSeconds?: number;
}

/** Average rate since the start and the time left; shared by every reporter so they agree. */
export function estimateRate(snapshot: ProgressSnapshot): RateEstimate {
  const elapsedSeconds = Math.max((snapshot.now - snapshot.startedAt) / 1000, 0.001);
  const { done, total } = snapshot.totals;
  const itemsPerSecond = done / elapsedSeconds;
  const bytesPerSecond = snapshot.totals.bytes / elapsedSeconds;
  const etaSeconds = itemsPerSecond > 0 && total >= done ? (total - done) / itemsPerSecond : undefined;
  return { elapsedSeconds, itemsPerSecond, bytesPerSecond, ...(etaSeconds === undefined ? {} : { etaSeconds }) };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatCount(count: number): string {
  return Math.round(count).toLocaleString('en-US');
}

export function formatSeconds(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds % 60)
    .toString()
    .padStart(2, '0')}s`;
}
