import { describe, expect, it } from 'vitest';
import { demoStartsAt } from '../../app/demo/seed-demo.ts';

describe('the demo event', () => {
  it('starts at 20:00 local time about 30 days after the seed, whatever the time of the seed', () => {
    for (const seededAt of [new Date(2026, 11, 3, 9, 41, 17), new Date(2026, 11, 3, 23, 59), new Date(2027, 2, 1, 0, 5)]) {
      const startsAt = demoStartsAt(seededAt);
      expect([startsAt.getHours(), startsAt.getMinutes(), startsAt.getSeconds(), startsAt.getMilliseconds()]).toEqual([20, 0, 0, 0]);
      const days = (startsAt.getTime() - seededAt.getTime()) / 86_400_000;
      expect(days).toBeGreaterThan(29);
      expect(days).toBeLessThan(31);
    }
  });
});
