/**
 * Runs jobs on `workers` workers, each bound to its own connections (worker index passed in).
 * Jobs may be added while running. The first failure stops new jobs; in-flight ones finish.
 */
export async function runWorkerPool<T>(
  jobs: T[],
  workers: number,
  run: (job: T, worker: number) => Promise<void>,
): Promise<void> {
  let failure: { error: unknown } | undefined;
  const loop = async (worker: number): Promise<void> => {
    while (!failure) {
      const job = jobs.shift();
      if (job === undefined) return;
      try {
        await run(job, worker);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, worker) => loop(worker)));
  if (failure) throw failure.error;
}
