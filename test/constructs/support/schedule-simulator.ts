/**
 * Plays AWS::AutoScaling::ScheduledAction resources minute by minute, as Auto Scaling would: an action
 * created at `createdAt` fires at each minute its cron (UTC, five fields) matches, from its StartTime (or
 * creation) until its EndTime. Auto Scaling refuses a StartTime or EndTime already past at creation.
 */
export interface ScheduledActionProperties {
  readonly MinSize?: number;
  readonly Recurrence?: string;
  readonly StartTime?: string;
  readonly EndTime?: string;
}

const MINUTE = 60_000;
const RANGES = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [0, 6],
] as const;

/** Throws like Auto Scaling's PutScheduledUpdateGroupAction would for an action created at `createdAt`. */
export function assertCreatable(action: ScheduledActionProperties, createdAt: number): void {
  if (action.StartTime !== undefined && Date.parse(action.StartTime) <= createdAt) throw new Error(`StartTime ${action.StartTime} is in the past`);
  if (action.EndTime !== undefined && Date.parse(action.EndTime) <= createdAt) throw new Error(`EndTime ${action.EndTime} is in the past`);
  if (action.Recurrence === undefined && action.StartTime === undefined) throw new Error('a one-time action needs a StartTime');
  if (action.Recurrence !== undefined) parseCron(action.Recurrence);
}

/** The group's minimum size at every minute of [from, to), starting from `initial`, with the actions created at `from`. */
export function minimumOverTime(actions: readonly ScheduledActionProperties[], initial: number, from: number, to: number): Map<number, number> {
  const crons = actions.map((action) => ({ action, fields: action.Recurrence ? parseCron(action.Recurrence) : undefined }));
  const minimum = new Map<number, number>();
  let current = initial;
  for (let t = Math.ceil(from / MINUTE) * MINUTE; t < to; t += MINUTE) {
    for (const { action, fields } of crons) {
      if (action.EndTime !== undefined && t > Date.parse(action.EndTime)) continue;
      const startsAt = action.StartTime ? Date.parse(action.StartTime) : from;
      if (t < startsAt) continue;
      const fires = fields ? matches(fields, new Date(t)) : t === startsAt;
      if (fires && action.MinSize !== undefined) current = action.MinSize;
    }
    minimum.set(t, current);
  }
  return minimum;
}

function parseCron(cron: string): Set<number>[] {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`cron "${cron}" must have five fields`);
  return parts.map((part, i) => {
    const [low, high] = RANGES[i]!;
    const values = new Set<number>();
    for (const item of part.split(',')) {
      const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
      if (!match) throw new Error(`cron "${cron}": field "${part}" is not valid`);
      const from = match[1] === '*' ? low : Number(match[2]);
      const to = match[1] === '*' ? high : match[3] !== undefined ? Number(match[3]) : match[4] !== undefined ? high : from;
      const step = match[4] !== undefined ? Number(match[4]) : 1;
      if (from < low || to > high || from > to || step < 1) throw new Error(`cron "${cron}": field "${part}" is out of range ${low}-${high}`);
      for (let v = from; v <= to; v += step) values.add(v);
    }
    return values;
  });
}

function matches([minutes, hours, days, months, weekdays]: Set<number>[], t: Date): boolean {
  return (
    minutes!.has(t.getUTCMinutes()) &&
    hours!.has(t.getUTCHours()) &&
    days!.has(t.getUTCDate()) &&
    months!.has(t.getUTCMonth() + 1) &&
    weekdays!.has(t.getUTCDay())
  );
}
