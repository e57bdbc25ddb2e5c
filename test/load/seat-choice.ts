/**
 * How a buyer picks seats, shared by the k6 script and the local benchmark. Pure functions with the
 * random source passed in: k6 runs this file in its own JavaScript runtime.
 */
import type { OnsaleScenario } from './scenario.ts';

/** What one buyer believes about the seat map: the seat ids in map order and the ones it knows are gone. */
export interface SeatKnowledge {
  seatIds: readonly number[];
  taken: Set<number>;
}

/** How many seats this buyer wants, drawn from the scenario's weights. */
export function seatsWanted(scenario: OnsaleScenario, random: () => number): number {
  const weights = scenario.buyer.seatsWanted;
  const total = weights.reduce((sum, entry) => sum + entry.weight, 0);
  let pick = random() * total;
  for (const entry of weights) {
    pick -= entry.weight;
    if (pick < 0) return entry.seats;
  }
  return weights[weights.length - 1]!.seats;
}

/**
 * The seats to ask for on this attempt, or [] when the buyer believes nothing is left.
 * First attempts of the front-row rush go for the best seats still shown free (everyone wants the same
 * few); every other attempt takes a run of seats shown free from a random place in the map.
 */
export function chooseSeats(
  scenario: OnsaleScenario,
  knowledge: SeatKnowledge,
  input: { count: number; attempt: number; random: () => number },
): number[] {
  const { seatIds, taken } = knowledge;
  if (input.attempt === 1 && input.random() < scenario.buyer.frontRowRushShare) {
    const best = seatIds.slice(0, scenario.buyer.frontRowSeats).filter((id) => !taken.has(id));
    if (best.length >= input.count) return best.slice(0, input.count);
  }
  if (seatIds.length === 0) return [];
  const start = Math.floor(input.random() * seatIds.length);
  let run: number[] = [];
  for (let step = 0; step < seatIds.length; step++) {
    const id = seatIds[(start + step) % seatIds.length]!;
    if (taken.has(id)) {
      run = [];
      continue;
    }
    run.push(id);
    if (run.length === input.count) return run;
  }
  // Fewer free seats than wanted in any one run: take what is shown free, if enough of it exists.
  const free = seatIds.filter((id) => !taken.has(id));
  return free.length >= input.count ? free.slice(0, input.count) : [];
}
