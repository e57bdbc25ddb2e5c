/** Spearman's rank correlation between two orders of the same n items (ranks 0..n-1, no ties). */
export function spearman(rankA: number[], rankB: number[]): number {
  const n = rankA.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (rankA[i]! - rankB[i]!) ** 2;
  return 1 - (6 * sum) / (n * (n * n - 1));
}

/** Pairs of consecutive joiners whose places are in the wrong order. */
export function orderViolations(placesInJoinOrder: number[]): number {
  let violations = 0;
  for (let i = 1; i < placesInJoinOrder.length; i++) if (placesInJoinOrder[i]! < placesInJoinOrder[i - 1]!) violations++;
  return violations;
}

/** Runs `work` for each item with at most `concurrency` at once. */
export async function eachLimited<T>(items: T[], concurrency: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  }));
}
