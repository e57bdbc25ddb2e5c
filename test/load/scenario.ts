/**
 * The on-sale spike as plain data. The k6 script (test/load/onsale.ts, against a deployed stack) and the
 * local benchmark (bench/onsale) both read this file, so they drive the same shape: the same ramp, the
 * same mix of buyer behaviour and the same seat choice (test/load/seat-choice.ts).
 *
 * No imports and no runtime APIs here: k6 runs this file in its own JavaScript runtime.
 */

/** One step of the ramp: reach `target` concurrent buyers over `durationSeconds` (k6's ramping-vus shape). */
export interface Stage {
  durationSeconds: number;
  target: number;
}

export interface SectionSpec {
  name: string;
  rows: number;
  seatsPerRow: number;
  priceCents: number;
}

export interface OnsaleScenario {
  /** The venue of the famous artist's show: at least 5,000 seats; the first section holds the best seats. */
  sections: SectionSpec[];
  /** Ramp to the spike and hold it. The local benchmark runs the same stages scaled by its time factor. */
  stages: Stage[];
  buyer: {
    /** How many seats a buyer wants (1-4), as weights. */
    seatsWanted: { seats: number; weight: number }[];
    /** Share of first attempts that go for the best seats: the front-row rush. */
    frontRowRushShare: number;
    /** The best seats: the first N seats of the seat map (the front section). */
    frontRowSeats: number;
    /** Hold attempts per buyer; after each 409 `seats_unavailable` the buyer tries other seats. */
    maxHoldAttempts: number;
    /** Share of buyers who hold seats and then walk away (release the hold) instead of buying. */
    abandonShare: number;
    /** Think time between a buyer's steps, in seconds (k6 only; the benchmark runs open-throttle). */
    thinkSeconds: { min: number; max: number };
  };
}

export const onsaleScenario: OnsaleScenario = {
  sections: [
    { name: 'Front', rows: 2, seatsPerRow: 20, priceCents: 25_000 },
    { name: 'Floor', rows: 40, seatsPerRow: 50, priceCents: 12_000 },
    { name: 'Balcony', rows: 61, seatsPerRow: 50, priceCents: 6_500 },
  ],
  stages: [
    { durationSeconds: 30, target: 64 },
    { durationSeconds: 15, target: 256 },
    { durationSeconds: 90, target: 256 },
    { durationSeconds: 15, target: 0 },
  ],
  buyer: {
    seatsWanted: [
      { seats: 1, weight: 20 },
      { seats: 2, weight: 45 },
      { seats: 3, weight: 15 },
      { seats: 4, weight: 20 },
    ],
    frontRowRushShare: 0.8,
    frontRowSeats: 40,
    maxHoldAttempts: 5,
    abandonShare: 0.15,
    thinkSeconds: { min: 0.5, max: 2 },
  },
};

export const seatsInVenue = (scenario: OnsaleScenario): number =>
  scenario.sections.reduce((sum, section) => sum + section.rows * section.seatsPerRow, 0);

/**
 * When virtual user `index` (0-based) runs under ramping `stages`, in ms from the start, with every
 * duration multiplied by `timeScale`: what k6's ramping-vus executor does, for the local benchmark.
 */
export function stageWindow(stages: readonly Stage[], index: number, timeScale = 1): { startMs: number; stopMs: number } {
  let elapsed = 0;
  let from = 0;
  let startMs = Infinity;
  let stopMs = Infinity;
  for (const stage of stages) {
    const duration = stage.durationSeconds * 1000 * timeScale;
    const crossing = (level: number) => elapsed + (duration * (level - from)) / (stage.target - from || 1);
    // Up through index + 1 users: this user starts. Down below index + 1: it stops.
    if (startMs === Infinity && stage.target > index && from <= index) startMs = crossing(index + 1);
    if (startMs !== Infinity && stopMs === Infinity && stage.target <= index && from > index) stopMs = crossing(index + 1);
    elapsed += duration;
    from = stage.target;
  }
  return { startMs: startMs === Infinity ? elapsed : startMs, stopMs: stopMs === Infinity ? elapsed : stopMs };
}
