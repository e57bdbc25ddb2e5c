import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cronsCovering, planPrewarm, REPEAT_EVERY_MINUTES, type OnSaleWindow } from '../../constructs/on-sale-schedule.ts';
import { WebTier } from '../../constructs/web-tier.ts';
import { newStack } from './support/cdk-app.ts';
import { assertCreatable, minimumOverTime, type ScheduledActionProperties } from './support/schedule-simulator.ts';
import { testVpc } from './support/vpc.ts';

const MINUTE = 60_000;
const tour: OnSaleWindow = { name: 'tour', startsAt: '2027-06-01T17:00:00Z', durationMinutes: 120 };
const prewarmAt = Date.parse('2027-06-01T16:30:00Z');
const endsAt = Date.parse('2027-06-01T19:00:00Z');

/** Deploy moments relative to the window: long before, just before the pre-warm, during it, during the sale, at its last minute. */
const deployMoments = {
  'a month before': prewarmAt - 30 * 24 * 60 * MINUTE,
  'a minute before the pre-warm': prewarmAt - MINUTE,
  'during the pre-warm': prewarmAt + 7 * MINUTE,
  'during the sale': Date.parse('2027-06-01T18:02:00Z'),
  'in the sale\'s last minute': endsAt - MINUTE,
};

function asProperties(plan: ReturnType<typeof planPrewarm>): ScheduledActionProperties[] {
  return plan.map((a) => ({ Recurrence: a.recurrence, EndTime: a.endTime, MinSize: a.minSize }));
}

describe('planPrewarm', () => {
  it('raises the minimum every 5 minutes from 30 minutes before the window to its end, then restores it for 30 minutes', () => {
    expect(planPrewarm([tour], Duration.minutes(30), 12, 3)).toEqual([
      { id: 'Prewarm-tour-1', recurrence: '30-59/5 16 1 6 *', endTime: '2027-06-01T19:30:00Z', minSize: 12 },
      { id: 'Prewarm-tour-2', recurrence: '*/5 17-18 1 6 *', endTime: '2027-06-01T19:30:00Z', minSize: 12 },
      { id: 'Release-tour-1', recurrence: '0-29/5 19 1 6 *', endTime: '2027-06-01T19:30:00Z', minSize: 3 },
    ]);
  });

  it('covers a window across midnight and the end of a month, one cron per day and partial hour', () => {
    expect(cronsCovering(Date.parse('2027-06-30T23:20:00Z'), Date.parse('2027-07-01T00:47:00Z'))).toEqual(['20-59/5 23 30 6 *', '0-46/5 0 1 7 *']);
    expect(cronsCovering(Date.parse('2027-06-01T10:00:00Z'), Date.parse('2027-06-01T10:01:00Z'))).toEqual(['0 10 1 6 *']);
    expect(cronsCovering(Date.parse('2027-06-01T00:00:00Z'), Date.parse('2027-06-02T00:00:00Z'))).toEqual(['*/5 0-23 1 6 *']);
  });

  for (const [moment, deployedAt] of Object.entries(deployMoments)) {
    it(`deployed ${moment}: every action is accepted and the minimum is raised through the sale, then released`, () => {
      const actions = asProperties(planPrewarm([tour], Duration.minutes(30), 12, 3));
      for (const action of actions) {
        expect(action).not.toHaveProperty('StartTime');
        assertCreatable(action, deployedAt);
      }
      // Worst case: the group is at its base minimum when the actions are (re)created.
      const minimum = minimumOverTime(actions, 3, deployedAt, endsAt + 24 * 60 * MINUTE);
      const raisedBy = Math.max(deployedAt, prewarmAt) + REPEAT_EVERY_MINUTES * MINUTE;
      for (const [t, size] of minimum) {
        if (t >= raisedBy && t < endsAt) expect(size, new Date(t).toISOString()).toBe(12);
        if (t >= endsAt) expect(size, new Date(t).toISOString()).toBe(3);
        if (t < prewarmAt) expect(size, new Date(t).toISOString()).toBe(3);
      }
    });
  }

  it('never fires again: the same day a year later leaves the minimum alone', () => {
    const actions = asProperties(planPrewarm([tour], Duration.minutes(30), 12, 3));
    const nextYear = Date.parse('2028-06-01T00:00:00Z');
    const minimum = minimumOverTime(actions, 3, nextYear, nextYear + 24 * 60 * MINUTE);
    expect(new Set(minimum.values())).toEqual(new Set([3]));
  });

  it('rejects overlapping windows, duplicate names, a start without a zone and a bad duration, naming the fix', () => {
    const later = { name: 'encore', startsAt: '2027-06-01T19:20:00Z', durationMinutes: 30 };
    expect(() => planPrewarm([tour, later], Duration.minutes(30), 12, 3)).toThrow(/"tour" and "encore" overlap: .* merge them into one window or start the second later/);
    expect(() => planPrewarm([tour, { ...tour, startsAt: '2028-01-01T10:00:00Z' }], Duration.minutes(30), 12, 3)).toThrow(/"tour" is used twice; give each window a unique name/);
    expect(() => planPrewarm([{ ...tour, startsAt: '2027-06-01 17:00' }], Duration.minutes(1), 2, 1)).toThrow(/startsAt "2027-06-01 17:00" is not an ISO 8601 timestamp/);
    expect(() => planPrewarm([{ ...tour, durationMinutes: 0 }], Duration.minutes(1), 2, 1)).toThrow(/durationMinutes 0 is invalid/);
  });
});

describe('WebTier scheduled actions', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function synthAt(now: number): Record<string, unknown> {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(now);
    const stack = newStack();
    new WebTier(stack, 'Web', { vpc: testVpc(stack), production: false, minCapacity: 2, maxCapacity: 10, prewarmCapacity: 6, onSaleWindows: [tour] });
    return Template.fromStack(stack).toJSON();
  }

  it('synthesises the same template whatever the clock says, with the pre-warm and the release in it', () => {
    const [first, ...others] = Object.values(deployMoments).map(synthAt);
    for (const other of others) expect(other).toEqual(first);
    const actions = Object.values(Template.fromJSON(first!).findResources('AWS::AutoScaling::ScheduledAction')).map((r) => r['Properties'] as ScheduledActionProperties);
    expect(actions.map((a) => [a.Recurrence, a.MinSize, a.EndTime])).toEqual([
      ['30-59/5 16 1 6 *', 6, '2027-06-01T19:30:00Z'],
      ['*/5 17-18 1 6 *', 6, '2027-06-01T19:30:00Z'],
      ['0-29/5 19 1 6 *', 2, '2027-06-01T19:30:00Z'],
    ]);
  });
});
