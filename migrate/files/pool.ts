/**
 * Runs `worker` over `items` with at most `concurrency` at once, in order of start.
 * A worker that throws stops new work; the first error is rethrown after running ones settle.
 */
export async function runPool<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lanes = Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, async () => {
    while (!failure && next < items.length) {
      const item = items[next++]!;
      try {
        await worker(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  });
  await Promise.all(lanes);
  if (failure) throw failure.error;
}

/**
 * Bounds the bytes held in memory by uploads in flight (file buffers and multipart part queues),
 * so peak memory depends on this budget, not on how many or how large the files are.
 */
export class ByteBudget {
  private available: number;
  private readonly waiting: { bytes: number; resolve: () => void }[] = [];

  constructor(readonly capacity: number) {
    this.available = capacity;
  }

  /** Waits until `bytes` fit (a request larger than the whole budget waits for all of it). */
  async acquire(bytes: number): Promise<() => void> {
    const wanted = Math.min(bytes, this.capacity);
    if (this.waiting.length === 0 && wanted <= this.available) this.available -= wanted;
    else await new Promise<void>((resolve) => this.waiting.push({ bytes: wanted, resolve }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.available += wanted;
      this.wakeWaiters();
    };
  }

  private wakeWaiters(): void {
    // First come, first served: a large request is not starved by a stream of small ones.
    while (this.waiting.length > 0 && this.waiting[0]!.bytes <= this.available) {
      const waiter = this.waiting.shift()!;
      this.available -= waiter.bytes;
      waiter.resolve();
    }
  }
}
