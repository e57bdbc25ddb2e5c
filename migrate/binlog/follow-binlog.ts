import { ConnectionError, UsageError } from '../errors.ts';
import { connect } from '../mysql/connect.ts';
import type { MysqlEndpoint } from '../mysql/connection-url.ts';
import { applyChanges } from './batch-applier.ts';
import { formatPosition, type BinlogPosition } from './binlog-position.ts';
import { ChangeQueue } from './change-queue.ts';
import { BinlogReader, SchemaChangedError } from './binlog-reader.ts';
import { ddlStop, FollowStoppedError } from './follow-errors.ts';
import { RateWindow, type FollowProgress } from './follow-progress.ts';
import { FollowStateStore } from './follow-state.ts';
import { loadFollowedTables, prepareApplierSession } from './follow-setup.ts';
import { isConnectionLost, isRetryable, withRetries } from './retry.ts';
import type { RowChange } from './row-change.ts';

export interface FollowInput {
  readonly source: MysqlEndpoint;
  readonly target: MysqlEndpoint;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly stateSchema: string;
  /** The follower's replication server id (unique among the source's replicas). */
  readonly serverId: number;
  /** Where the catch-up starts (the snapshot's position); omitted: continue from the checkpoint. */
  readonly start?: BinlogPosition;
  /** Aborting stops the follower at the next batch boundary, checkpointed. */
  readonly signal?: AbortSignal;
  /** Called about once a second. */
  readonly onProgress?: (progress: FollowProgress) => void;
  /** A source write after the cutover position, or another problem that does not stop the follower. */
  readonly onError?: (message: string) => void;
  /** Row changes per target transaction, at most (whole source transactions, so one may exceed it). @default 5000 */
  readonly batchChanges?: number;
  /** Received but unapplied row changes above which reading the binlog pauses. @default 50000 */
  readonly maxQueuedChanges?: number;
}

export interface FollowReport {
  readonly start: BinlogPosition;
  readonly applied: BinlogPosition;
  readonly appliedChanges: number;
  readonly batches: number;
  readonly seconds: number;
  /** Source transactions that changed followed tables after the cutover position (not applied). */
  readonly writesAfterCutover: number;
}

const PROGRESS_MS = 1_000;

/**
 * The follow step: streams the source's binlog from the checkpoint (or `start`) and applies every
 * row change of the followed tables to the target in batches, each batch and its checkpoint in
 * one target transaction, until aborted, a DDL statement, or a fatal error.
 */
export async function followBinlog(input: FollowInput): Promise<FollowReport> {
  const started = Date.now();
  const store = new FollowStateStore(input.stateSchema, input.targetDatabase);
  let target = await connect(input.target, { database: input.targetDatabase });
  const lock = await connect(input.target);
  const sourceControl = await connect(input.source);
  let reader: BinlogReader | undefined;
  try {
    const [[locked]] = (await lock.query('SELECT GET_LOCK(?, 0) AS ok', [store.lockName])) as unknown as [{ ok: number }[]];
    if (Number(locked!.ok) !== 1) throw new UsageError(`another follower is already running for ${input.target.display} (${input.targetDatabase})`);
    await prepareApplierSession(target);
    await store.ensure(target);
    let state = await store.load(target);
    if (!state) throw new UsageError(`no follow checkpoint for ${input.targetDatabase} on the target: run bin/migrate db ... --follow first`);
    if (input.start) {
      await store.startFollowing(target, input.start);
      state = (await store.load(target))!;
    }
    const { names, sourceTables, tables } = await loadFollowedTables({ ...input, state, store, target, sourceControl });
    const recorded = new Set([...(await store.loadTouched(target))].flatMap(([table, chunks]) => [...chunks].map((chunk) => `${table}\u0000${chunk}`)));

    const queue = new ChangeQueue();
    let readerError: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = () => {
      wake?.();
      wake = undefined;
    };
    const maxQueued = input.maxQueuedChanges ?? 50_000;
    const startReader = async (from: BinlogPosition) => {
      reader = new BinlogReader({
        endpoint: input.source,
        database: input.sourceDatabase,
        tables: names,
        columnCounts: new Map(sourceTables.map((table) => [table.name, table.columns.length])),
        serverId: input.serverId,
        start: from,
        onItem: (item) => {
          queue.push(item);
          if (queue.pendingChanges > maxQueued) reader?.pause();
          notify();
        },
        onError: (error) => {
          readerError ??= error;
          notify();
        },
      });
      await reader.start();
    };
    await startReader(state.applied);
    input.signal?.addEventListener('abort', notify, { once: true });

    let applied = state.applied;
    let appliedChanges = 0;
    let batches = 0;
    let writesAfterCutover = 0;
    let cutoverAt: BinlogPosition | undefined = state.cutover && state.cutover.state !== 'aborted' ? state.cutover.position : undefined;
    let lastHeartbeat = 0;
    let lastProgress = 0;
    let readerRestarts = 0;
    const rate = new RateWindow();

    const lagSeconds = () => queue.lagSeconds();
    const report = async () => {
      lastProgress = Date.now();
      if (!input.onProgress) return;
      let bytesBehind: number | undefined;
      try {
        const [[status]] = (await sourceControl.query('SHOW MASTER STATUS')) as unknown as [{ File: string; Position: number }[]];
        if (status && status.File === applied.file) bytesBehind = Math.max(0, Number(status.Position) - applied.position);
      } catch {
        // Progress only: a failed look-up must not stop the follower.
      }
      input.onProgress({
        lagSeconds: Math.round(lagSeconds() * 1000) / 1000,
        eventsBehind: queue.pendingChanges,
        eventsPerSecond: rate.perSecond(),
        applied: appliedChanges,
        ...(bytesBehind !== undefined ? { bytesBehind } : {}),
        position: applied,
      });
    };

    /** One target transaction: the changes, the touched chunks and the checkpoint, all or nothing. */
    const commitBatch = async (changes: readonly RowChange[], end: BinlogPosition, lag: number) => {
      await withRetries(
        async () => {
          await target.query('START TRANSACTION');
          try {
            const batch = await applyChanges(target, input.targetDatabase, tables, changes);
            const fresh = batch.touched.filter(([table, chunk]) => !recorded.has(`${table}\u0000${chunk}`));
            await store.markTouched(target, fresh);
            await store.checkpoint(target, end, changes.length, lag);
            await target.query('COMMIT');
            for (const [table, chunk] of fresh) recorded.add(`${table}\u0000${chunk}`);
          } catch (error) {
            await target.query('ROLLBACK').catch(() => undefined);
            throw error;
          }
        },
        {
          onRetry: async (error) => {
            if (!isConnectionLost(error)) return;
            await target.end().catch(() => undefined);
            target = await connect(input.target, { database: input.targetDatabase });
            await prepareApplierSession(target);
          },
        },
      );
      applied = end;
      appliedChanges += changes.length;
      batches += 1;
      rate.add(changes.length);
      lastHeartbeat = Date.now();
    };

    const refreshCutover = async () => {
      const current = await store.load(target);
      cutoverAt = current?.cutover && current.cutover.state !== 'aborted' ? current.cutover.position : undefined;
    };
    const batchLimit = input.batchChanges ?? 5_000;
    for (;;) {
      if (input.signal?.aborted) break;
      // A reader error comes after everything it queued: apply that first.
      if (readerError && !queue.length) {
        const error = readerError;
        readerError = undefined;
        if (error instanceof SchemaChangedError) {
          throw new FollowStoppedError(`${error.message} (apply the same change to the target, then run again with --resume --follow)`);
        }
        // A dropped binlog connection: drop what was queued (it is re-read) and reconnect at the checkpoint.
        readerRestarts += 1;
        if (readerRestarts > 5 || !isRetryable(error)) throw new ConnectionError(`reading the source's binlog failed: ${error.message}`);
        await reader?.stop().catch(() => undefined);
        queue.clear();
        await new Promise((resolve) => setTimeout(resolve, 500 * readerRestarts));
        await startReader(applied);
        continue;
      }
      if (!queue.length) {
        if (Date.now() - lastHeartbeat >= PROGRESS_MS) {
          await withRetries(() => store.heartbeat(target, 0));
          await refreshCutover();
          lastHeartbeat = Date.now();
        }
        if (Date.now() - lastProgress >= PROGRESS_MS) await report();
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 250).unref();
        });
        continue;
      }
      const lag = lagSeconds();
      await refreshCutover();
      const batch = queue.take(batchLimit, cutoverAt);
      for (const item of batch.late) {
        writesAfterCutover += 1;
        input.onError?.(
          `the source was written after the cutover position ${formatPosition(cutoverAt!)}: a transaction ending at ${item.end.file}:${item.end.position} changed ${item.changes.length} rows (not applied)`,
        );
      }
      if (queue.pendingChanges < maxQueued / 2) reader?.resume();
      if (batch.end) await commitBatch(batch.changes, batch.end, lag);
      if (batch.ddl) {
        await store.stopAtDdl(target, batch.ddl.statement, batch.ddl.after);
        throw ddlStop(batch.ddl.statement, batch.ddl.before);
      }
      if (Date.now() - lastProgress >= PROGRESS_MS) await report();
    }
    await report();
    await withRetries(() => store.heartbeat(target, lagSeconds()));
    return { start: state.start, applied, appliedChanges, batches, seconds: (Date.now() - started) / 1000, writesAfterCutover };
  } finally {
    await reader?.stop().catch(() => undefined);
    await lock.query('SELECT RELEASE_LOCK(?)', [store.lockName]).catch(() => undefined);
    await Promise.all([target, lock, sourceControl].map((connection) => connection.end().catch(() => undefined)));
  }
}
