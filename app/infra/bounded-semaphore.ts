/** Thrown when no permit is free and the queue is full, or a permit was not free within the wait limit. */
export class SemaphoreBusy extends Error {}

interface Waiter {
  grant: (release: () => void) => void;
  timer: NodeJS.Timeout;
}

/**
 * At most `permits` holders at once, at most `queueLimit` callers waiting (first come, first served),
 * each for at most `maxWaitMs`. Per process: it bounds what one instance does, not the fleet.
 */
export class BoundedSemaphore {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly permits: number,
    readonly queueLimit: number,
    readonly maxWaitMs: number,
  ) {}

  get inUse(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with the function that gives the permit back (calling it twice is harmless). */
  acquire(): Promise<() => void> {
    if (this.active < this.permits) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.queueLimit) return Promise.reject(new SemaphoreBusy('no permit free and the queue is full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        grant: resolve,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(new SemaphoreBusy(`no permit free within ${this.maxWaitMs} ms`));
        }, this.maxWaitMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** Runs `work` holding a permit. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (!next) {
        this.active--;
        return;
      }
      // The permit passes straight to the next waiter: `active` stays the same.
      clearTimeout(next.timer);
      next.grant(this.releaser());
    };
  }
}
