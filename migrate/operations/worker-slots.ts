/**
 * A fixed set of workers (each owning its connections, e.g. a snapshot reader and a target writer)
 * that jobs from many callers share: a free worker takes the waiting job with the lowest priority
 * number, first come first served among equals. After `stop`, waiting jobs fail with that error and
 * no new job starts: the first failure of a run stops it.
 */
export class WorkerSlots {
  private readonly free: number[];
  private readonly waiting: { priority: number; grant: (slot: number) => void; refuse: (error: unknown) => void }[] = [];
  private stopped: { error: unknown } | undefined;

  constructor(readonly size: number) {
    this.free = Array.from({ length: size }, (_, slot) => size - 1 - slot);
  }

  async use<T>(work: (slot: number) => Promise<T>, priority = 0): Promise<T> {
    this.throwIfStopped();
    const slot = this.free.pop() ?? (await this.wait(priority));
    try {
      this.throwIfStopped();
      return await work(slot);
    } finally {
      const next = this.waiting.shift();
      if (next) next.grant(slot);
      else this.free.push(slot);
    }
  }

  stop(error: unknown): void {
    this.stopped ??= { error };
    for (const waiter of this.waiting.splice(0)) waiter.refuse(this.stopped.error);
  }

  private wait(priority: number): Promise<number> {
    return new Promise<number>((grant, refuse) => {
      const at = this.waiting.findIndex((waiter) => waiter.priority > priority);
      this.waiting.splice(at === -1 ? this.waiting.length : at, 0, { priority, grant, refuse });
    });
  }

  private throwIfStopped(): void {
    if (this.stopped) throw this.stopped.error;
  }
}
