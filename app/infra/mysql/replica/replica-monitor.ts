import type { Pool } from 'mysql2/promise';
import { detectFlavor, replicaLagSeconds, type Flavor } from './replication-sql.ts';

export type ReplicaHealth =
  | { status: 'unchecked' }
  | { status: 'healthy' | 'lagging'; lagSeconds: number; checkedAt: number }
  /** Connected, but not applying changes (a replication thread stopped, or none configured). */
  | { status: 'stopped'; checkedAt: number }
  | { status: 'unreachable'; reason: string; checkedAt: number };

export interface ReplicaMonitorOptions {
  /** Lag beyond this many seconds sends reads to the primary (DATABASE_READ_MAX_LAG_SECONDS). */
  readonly maxLagSeconds: number;
  /** @default 1_000 */
  readonly everyMs?: number;
  readonly onChange?: (next: ReplicaHealth, previous: ReplicaHealth) => void;
}

/**
 * Asks the replica how far behind it is, once a second, one check at a time. The replica is usable only
 * while the last check found it replicating within the lag bound and is recent (three periods): a replica
 * that stops answering falls out of use by itself. Reads never wait for a check.
 */
export class ReplicaMonitor {
  private current: ReplicaHealth = { status: 'unchecked' };
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Known after the first successful check. */
  flavor: Flavor | undefined;

  constructor(
    private readonly replica: Pool,
    private readonly options: ReplicaMonitorOptions,
  ) {}

  get health(): ReplicaHealth {
    return this.current;
  }

  get usable(): boolean {
    const health = this.current;
    return health.status === 'healthy' && Date.now() - health.checkedAt < 3 * this.everyMs && this.flavor !== undefined;
  }

  start(): void {
    this.stopped = false;
    void this.loop();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** A read on the replica failed: out of use until a check finds it well again. */
  markUnreachable(error: unknown): void {
    this.set({ status: 'unreachable', reason: (error as Error).message ?? String(error), checkedAt: Date.now() });
  }

  /** One check now (the loop calls it; tests may too). */
  async check(): Promise<ReplicaHealth> {
    const timeoutMs = Math.max(500, this.everyMs);
    try {
      this.flavor ??= await detectFlavor(this.replica);
      const lagSeconds = await replicaLagSeconds(this.replica, timeoutMs);
      const checkedAt = Date.now();
      if (lagSeconds === null) this.set({ status: 'stopped', checkedAt });
      else this.set({ status: lagSeconds <= this.options.maxLagSeconds ? 'healthy' : 'lagging', lagSeconds, checkedAt });
    } catch (error) {
      this.markUnreachable(error);
    }
    return this.current;
  }

  private get everyMs(): number {
    return this.options.everyMs ?? 1_000;
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    await this.check();
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.loop(), this.everyMs);
    this.timer.unref();
  }

  private set(next: ReplicaHealth): void {
    const previous = this.current;
    this.current = next;
    if (next.status !== previous.status) this.options.onChange?.(next, previous);
  }
}
