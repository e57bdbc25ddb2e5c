import { describe, expect, it } from 'vitest';
import { AdmissionStallWatch, type RoomProgress } from '../../app/domain/admission-stall.ts';

const onSaleAt = 1_000_000;
const room = (overrides: Partial<RoomProgress> = {}): RoomProgress => ({ enabled: true, onSaleAt, waiting: 10, reachedTotal: 0, ...overrides });

describe('AdmissionStallWatch', () => {
  it('counts the seconds buyers wait after the on-sale while no place is reached, and restarts when one is', () => {
    const watch = new AdmissionStallWatch();
    expect(watch.observe(1, room(), onSaleAt)).toBe(0);
    expect(watch.observe(1, room(), onSaleAt + 59_999)).toBe(59);
    expect(watch.observe(1, room(), onSaleAt + 600_000)).toBe(600);
    expect(watch.observe(1, room({ reachedTotal: 1 }), onSaleAt + 601_000)).toBe(0);
    expect(watch.observe(1, room({ reachedTotal: 1 }), onSaleAt + 631_000)).toBe(30);
  });

  it('never counts the pre-queue before the on-sale, an empty queue or a disabled room', () => {
    const watch = new AdmissionStallWatch();
    expect(watch.observe(1, room(), onSaleAt - 600_000)).toBe(0);
    expect(watch.observe(1, room(), onSaleAt - 1)).toBe(0);
    expect(watch.observe(1, room(), onSaleAt + 5_000)).toBe(5);
    expect(watch.observe(1, room({ waiting: 0 }), onSaleAt + 400_000)).toBe(0);
    expect(watch.observe(1, room({ waiting: 3 }), onSaleAt + 410_000)).toBe(10);
    expect(watch.observe(1, room({ enabled: false }), onSaleAt + 900_000)).toBe(0);
  });

  it('keeps each room apart and forgets rooms no longer published', () => {
    const watch = new AdmissionStallWatch();
    watch.observe(1, room(), onSaleAt);
    watch.observe(2, room(), onSaleAt);
    expect(watch.observe(1, room({ reachedTotal: 5 }), onSaleAt + 120_000)).toBe(0);
    expect(watch.observe(2, room(), onSaleAt + 120_000)).toBe(120);
    watch.retain(new Set([1]));
    expect(watch.observe(2, room(), onSaleAt + 180_000)).toBe(0);
  });
});
