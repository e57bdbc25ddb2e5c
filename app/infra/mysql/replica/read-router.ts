import type { Connection, Pool, PoolConnection } from 'mysql2/promise';
import type { Logger } from 'pino';
import type { ReplicaHealth, ReplicaMonitor } from './replica-monitor.ts';
import { detectFlavor, primaryPosition, waitForPosition, type Flavor } from './replication-sql.ts';

/** What a read needs of a database: a pool or one connection of it. */
export type Queryable = Pick<Connection, 'query' | 'execute'>;

export interface ReadReplica {
  readonly pool: Pool;
  readonly monitor: ReplicaMonitor;
  /** How long a read waits for the replica to apply the reader's own last write (DATABASE_READ_WAIT_MS). */
  readonly waitMs: number;
}

/** Where reads went since start: for logs, tests and the on-sale bench. */
export interface ReadCounts {
  replica: number;
  primary: number;
  /** Reads that tried the replica and were answered by the primary (failure, or own write not applied in time). */
  fellBack: number;
}

/**
 * Sends reads that tolerate lag to the read replica (DATABASE_READ_URL) while it is replicating within
 * the lag bound, and everything else to the primary. Only what callers pass to `read` can reach the
 * replica: holds, purchases, idempotency lookups and the inventory rebuild use the primary pool directly.
 *
 * Read-your-writes: a request that wrote the ledger records `primaryPosition()` in the writer's session;
 * that writer's later reads pass it as `after`, and run on the replica only once the replica has applied
 * it (waited for at most `waitMs` on the same connection that then reads), else on the primary. A replica
 * that fails mid-read is left for the primary, which answers: a replica never causes an error answer.
 */
export class ReadRouter {
  readonly counts: ReadCounts = { replica: 0, primary: 0, fellBack: 0 };
  private primaryFlavor: Promise<Flavor> | undefined;

  constructor(
    readonly primary: Pool,
    private readonly replica: ReadReplica | undefined,
    private readonly logger: Logger,
  ) {}

  /** The replica's state, or undefined without DATABASE_READ_URL. */
  get replicaHealth(): ReplicaHealth | undefined {
    return this.replica?.monitor.health;
  }

  async read<T>(work: (db: Queryable) => Promise<T>, after?: string): Promise<T> {
    const replica = this.replica;
    const flavor = replica?.monitor.flavor;
    if (!replica || !flavor || !replica.monitor.usable) return this.onPrimary(work);
    let connection: PoolConnection | undefined;
    let applied = true;
    let result: { value: T } | undefined;
    try {
      connection = await replica.pool.getConnection();
      if (after) applied = await waitForPosition(connection, flavor, after, replica.waitMs);
      if (applied) result = { value: await work(connection) };
    } catch (error) {
      replica.monitor.markUnreachable(error);
      this.logger.warn({ err: error }, 'read replica failed a read; reading the primary');
    } finally {
      connection?.release();
    }
    if (result) {
      this.counts.replica++;
      return result.value;
    }
    this.counts.fellBack++;
    return this.onPrimary(work);
  }

  /**
   * What the primary has committed up to now, for the session of a client that just wrote; undefined
   * without a replica (nothing to wait for) or when the primary writes no binary log.
   */
  async primaryPosition(): Promise<string | undefined> {
    if (!this.replica) return undefined;
    this.primaryFlavor ??= detectFlavor(this.primary).catch((error: unknown) => {
      this.primaryFlavor = undefined;
      throw error;
    });
    return (await primaryPosition(this.primary, await this.primaryFlavor)) || undefined;
  }

  start(): void {
    this.replica?.monitor.start();
  }

  async close(): Promise<void> {
    this.replica?.monitor.stop();
    await this.replica?.pool.end();
  }

  private onPrimary<T>(work: (db: Queryable) => Promise<T>): Promise<T> {
    this.counts.primary++;
    return work(this.primary);
  }
}
