/** A buffer lent by the pool: exactly the requested size; give it back with `release()`. */
export interface PooledBuffer {
  readonly buffer: Buffer;
  release(): void;
}

const SMALL_CLASSES = [64 * 1024, 1024 * 1024, 4 * 1024 * 1024];

/**
 * File bytes in memory, bounded and reused. Buffers come in four size classes (64 KiB, 1 MiB, 4 MiB and
 * `largest`, the part size) and go back to a free list when an upload is done, so a long run
 * allocates its working set once instead of leaving hundreds of megabytes for the garbage
 * collector (finer classes made the pool drop and reallocate buffers all the time): peak memory is
 * `capacity` plus a baseline, however many and however large the files. `reserve` counts memory someone else
 * allocates (lib-storage's part buffers for a multipart upload) against the same capacity.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private freeBytes = 0;
  private used = 0;
  private readonly waiting: { bytes: number; grant: () => void }[] = [];

  constructor(
    readonly capacity: number,
    /** The largest buffer asked for (files above it are streamed, not held). */
    private readonly largest: number,
  ) {}

  async acquire(size: number): Promise<PooledBuffer> {
    const sizeClass = SMALL_CLASSES.find((candidate) => size <= candidate) ?? Math.max(size, this.largest);
    const charge = Math.min(sizeClass, this.capacity);
    await this.take(charge);
    // Reuse before trimming: an idle buffer of this class is exactly what was just made room for.
    const buffer = this.popFree(sizeClass) ?? Buffer.allocUnsafeSlow(sizeClass);
    this.trimFree();
    return this.lend(buffer, size, sizeClass, charge);
  }

  private lend(buffer: Buffer, size: number, sizeClass: number, charge: number): PooledBuffer {
    let released = false;
    return {
      buffer: buffer.subarray(0, size),
      release: () => {
        if (released) return;
        released = true;
        this.used -= charge;
        if (sizeClass <= this.capacity) this.pushFree(sizeClass, buffer);
        this.wake();
      },
    };
  }

  /** Counts `bytes` allocated elsewhere against the capacity until the returned function is called. */
  async reserve(bytes: number): Promise<() => void> {
    const wanted = Math.min(bytes, this.capacity);
    await this.take(wanted);
    this.trimFree();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.used -= wanted;
      this.wake();
    };
  }

  /** Waits until `bytes` more fit beside what is in use (idle free buffers do not count). */
  private async take(bytes: number): Promise<void> {
    if (this.waiting.length === 0 && this.fits(bytes)) this.used += bytes;
    else await new Promise<void>((grant) => this.waiting.push({ bytes, grant })); // wake() counts it
  }

  /** Drops idle buffers (of other classes) that no longer fit beside those in use. */
  private trimFree(): void {
    for (const [sizeClass, buffers] of this.free) {
      while (this.used + this.freeBytes > this.capacity && buffers.length > 0) {
        buffers.pop();
        this.freeBytes -= sizeClass;
      }
    }
  }

  private fits(bytes: number): boolean {
    return this.used + bytes <= this.capacity;
  }

  private wake(): void {
    // First come, first served: a large request is not starved by a stream of small ones.
    while (this.waiting.length > 0 && this.fits(this.waiting[0]!.bytes)) {
      const next = this.waiting.shift()!;
      this.used += next.bytes;
      next.grant();
    }
  }

  private popFree(sizeClass: number): Buffer | undefined {
    const buffer = this.free.get(sizeClass)?.pop();
    if (buffer) this.freeBytes -= sizeClass;
    return buffer;
  }

  private pushFree(sizeClass: number, buffer: Buffer): void {
    const list = this.free.get(sizeClass) ?? [];
    list.push(buffer);
    this.free.set(sizeClass, list);
    this.freeBytes += sizeClass;
  }
}
