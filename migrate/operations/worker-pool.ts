/**
 * Runs `run` over `items` on at most `workers` workers, in order of start. Each worker keeps its
 * index (0 .. workers-1), so it can own connections (a snapshot reader and a target writer, say).
 * The first failure stops new work; the items in flight finish; then that failure is thrown.
 */
export async function runWorkerPool<T>(
  items: readonly T[],
  workers: number,
  run: (item: T, worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const loop = async (worker: number): Promise<void> => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await run(item, worker);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, items.length)) }, (_, worker) => loop(worker)));
  if (failure) throw failure.error;
}
