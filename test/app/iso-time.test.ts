import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { cachedIsoTime } from '../../app/iso-time.ts';

/** pino's own isoTime for a given instant (it reads Date.now()). */
function pinoIsoTime(ms: number): string {
  return `,"time":"${new Date(ms).toISOString()}"`;
}

describe('cachedIsoTime', () => {
  it('is pino.stdTimeFunctions.isoTime byte for byte', () => {
    // pino's form, which the reference below reproduces for a chosen instant.
    expect(pino.stdTimeFunctions.isoTime()).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    let clock = 0;
    const time = cachedIsoTime(() => clock);
    // Within one second, across second, minute, day and year boundaries, every millisecond width, and backwards.
    const instants = [
      Date.UTC(2026, 11, 6, 12, 0, 0, 0), Date.UTC(2026, 11, 6, 12, 0, 0, 7), Date.UTC(2026, 11, 6, 12, 0, 0, 42),
      Date.UTC(2026, 11, 6, 12, 0, 0, 999), Date.UTC(2026, 11, 6, 12, 0, 1, 0), Date.UTC(2026, 11, 6, 12, 59, 59, 999),
      Date.UTC(2026, 11, 6, 13, 0, 0, 5), Date.UTC(2026, 11, 31, 23, 59, 59, 999), Date.UTC(2027, 0, 1, 0, 0, 0, 0),
      Date.UTC(2026, 11, 6, 12, 0, 0, 500), 0, 1, 999, 1000, Date.UTC(1969, 11, 31, 23, 59, 59, 998),
      Date.UTC(10_000, 0, 1, 0, 0, 0, 12), Date.UTC(2026, 11, 6, 12, 0, 0, 100),
    ];
    for (const instant of instants) {
      clock = instant;
      expect(time()).toBe(pinoIsoTime(instant));
    }
    for (let ms = Date.UTC(2026, 0, 1) - 2_500; ms < Date.UTC(2026, 0, 1) + 2_500; ms += 1) {
      clock = ms;
      expect(time()).toBe(pinoIsoTime(ms));
    }
  });

  it('reads the real clock by default', () => {
    const before = Date.now();
    const time = JSON.parse(`{${cachedIsoTime()().slice(1)}}`).time as string;
    expect(Date.parse(time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(time)).toBeLessThanOrEqual(Date.now());
  });
});
