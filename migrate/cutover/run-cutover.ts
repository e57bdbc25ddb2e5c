import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import { comparePositions, formatPosition, type BinlogPosition } from '../binlog/binlog-position.ts';
import { FollowStateStore, type FollowState } from '../binlog/follow-state.ts';
import { readSourcePosition } from '../binlog/source-position.ts';
import { connect } from '../mysql/connect.ts';
import type { MysqlEndpoint } from '../mysql/connection-url.ts';
import { prepareChecksumSession } from '../mysql/session.ts';
import type { TableVerification } from '../operations/verify-tables.ts';
import { ProgressCounters } from '../progress/counters.ts';
import { bypassSessions, lockAllWrites, readOnlyState, setReadOnly, unlockWrites, type BypassSession } from './source-writes.ts';
import { verifyTouchedChunks } from './verify-touched.ts';

export interface CutoverInput {
  readonly source: MysqlEndpoint;
  readonly target: MysqlEndpoint;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly stateSchema: string;
  /** Writes stopped -> target verified must fit in this many seconds, or the cutover is undone. */
  readonly maxDowntimeSeconds: number;
  /** The follower's lag must be below this before writes are stopped. */
  readonly maxLagSeconds: number;
  /** @default 4 */
  readonly parallel?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface CutoverReport {
  readonly outcome: 'done' | 'aborted';
  readonly reason?: string;
  /** From `read_only=1` on the source to the verified target. */
  readonly downtimeSeconds: number;
  readonly finalPosition?: BinlogPosition;
  readonly verifiedChunks: number;
  readonly verification: readonly TableVerification[];
  /** Sessions that can write despite read_only once the lock is released. */
  readonly bypassSessions: readonly BypassSession[];
  readonly sourceReadOnly: boolean;
  readonly repoint: { readonly DATABASE_URL: string };
}

class Aborted extends Error {}

/** A live follower reports at least every second; this much silence means it is stalled (or its host is overloaded). */
const FOLLOWER_SILENCE_SECONDS = 10;

/** ER_LOCK_WAIT_TIMEOUT */
const LOCK_WAIT_TIMEOUT = 1205;

/** Refuses before touching the source unless a live follower is close behind. */
function checkFollower(state: FollowState | undefined, alive: boolean, input: CutoverInput): FollowState {
  if (!state) throw new UsageError(`no follower checkpoint for ${input.targetDatabase} on the target: start bin/migrate db ... --follow first`);
  if (state.phase !== 'follow') throw new UsageError(`the follower is not following (phase ${state.phase}${state.pendingDdl ? `: stopped at DDL ${state.pendingDdl.slice(0, 120)}` : ''})`);
  if (state.cutover?.state === 'done') throw new UsageError(`already cut over at ${formatPosition(state.cutover.position)}`);
  if (!alive) throw new UsageError('no follower is running for this target: start bin/migrate db ... --resume --follow, then cut over');
  if ((state.heartbeatAgeSeconds ?? Infinity) > FOLLOWER_SILENCE_SECONDS) throw new UsageError(`the follower has not reported for ${Math.round(state.heartbeatAgeSeconds ?? 0)} s`);
  if ((state.lagSeconds ?? Infinity) >= input.maxLagSeconds) {
    throw new UsageError(`the follower is ${state.lagSeconds?.toFixed(2)} s behind (must be under ${input.maxLagSeconds} s): wait and try again`);
  }
  return state;
}

/**
 * The cutover: source read-only, then FLUSH TABLES WITH READ LOCK for the final sync; the final
 * position is recorded, the follower applies up to it, every chunk changed since the snapshot is
 * verified. Done: the source stays read-only. Deadline passed or mismatch: the source is made
 * writable again and nothing is half cut over.
 */
export async function runCutover(input: CutoverInput): Promise<CutoverReport> {
  const store = new FollowStateStore(input.stateSchema, input.targetDatabase);
  const targetAdmin = await connect(input.target);
  const sourceAdmin = await connect(input.source);
  const readers: mysql.Connection[] = [];
  const repoint = { DATABASE_URL: `${input.target.display.replace(/\/[^/]*$/, '')}/${input.targetDatabase}` };
  try {
    const [[lock]] = (await targetAdmin.query('SELECT IS_USED_LOCK(?) AS holder', [store.lockName])) as unknown as [{ holder: number | null }[]];
    const state = checkFollower(await store.load(targetAdmin), lock?.holder !== null && lock?.holder !== undefined, input);
    const wasReadOnly = await readOnlyState(sourceAdmin);
    for (let i = 0; i < (input.parallel ?? 4); i += 1) {
      const source = await connect(input.source, { database: input.sourceDatabase });
      const target = await connect(input.target, { database: input.targetDatabase });
      await Promise.all([prepareChecksumSession(source), prepareChecksumSession(target)]);
      readers.push(source, target);
    }
    const sources = readers.filter((_, i) => i % 2 === 0);
    const targets = readers.filter((_, i) => i % 2 === 1);

    const stoppedAt = Date.now();
    const elapsed = () => (Date.now() - stoppedAt) / 1000;
    const check = (step: string) => {
      if (input.signal?.aborted) throw new Aborted(`interrupted ${step}`);
      if (elapsed() > input.maxDowntimeSeconds) throw new Aborted(`the ${input.maxDowntimeSeconds} s downtime budget ran out ${step}`);
    };
    let final: BinlogPosition | undefined;
    let bypass: BypassSession[] = [];
    let verification: TableVerification[] = [];
    let chunks = 0;
    let requested = false;
    try {
      await setReadOnly(sourceAdmin, true);
      input.log?.('cutover: source read_only=1');
      await lockAllWrites(sourceAdmin, input.maxDowntimeSeconds - elapsed());
      check('while taking the global read lock');
      final = await readSourcePosition(sourceAdmin);
      if (!final) throw new Aborted('binary logging is off on the source');
      bypass = await bypassSessions(sourceAdmin);
      // A stalled follower can hold its checkpoint row locked mid-batch: wait for it no longer than the budget.
      await targetAdmin.query(`SET SESSION innodb_lock_wait_timeout = ${Math.max(1, Math.ceil(input.maxDowntimeSeconds - elapsed()))}`);
      await store.setCutover(targetAdmin, 'requested', final).catch((error: { errno?: number }) => {
        if (error.errno !== LOCK_WAIT_TIMEOUT) throw error;
        throw new Aborted(`the ${input.maxDowntimeSeconds} s downtime budget ran out before the follower reached ${formatPosition(final!)} (the follower holds its checkpoint locked: is it stalled?)`);
      });
      requested = true;
      input.log?.(`cutover: writes stopped at ${formatPosition(final)}, waiting for the follower`);
      for (;;) {
        const current = await store.load(targetAdmin);
        if (current && comparePositions(current.applied, final) >= 0) break;
        if (current?.phase !== 'follow') throw new Aborted(`the follower stopped (phase ${current?.phase})`);
        check(`before the follower reached ${formatPosition(final)} (it is at ${current ? formatPosition(current.applied) : 'no checkpoint'})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      input.log?.('cutover: follower caught up, verifying the chunks changed since the snapshot');
      const touched = await store.loadTouched(targetAdmin);
      const result = await verifyTouchedChunks({
        sources,
        targets,
        sourceDatabase: state.sourceDatabase,
        stateSchema: input.stateSchema,
        targetDatabase: input.targetDatabase,
        touched,
        counters: new ProgressCounters('rows'),
      });
      verification = result.tables;
      chunks = result.chunks;
      const mismatched = verification.filter((table) => table.verdict === 'mismatch');
      if (mismatched.length) {
        const first = mismatched[0]!.differences[0];
        throw new Aborted(`verification found differences in ${mismatched.map((table) => `${table.table} (${table.differenceCount} rows)`).join(', ')}${first ? `, e.g. ${first.kind} ${JSON.stringify(first.key ?? {})}` : ''}`);
      }
      check('while verifying');
      const downtimeSeconds = elapsed();
      await store.setCutover(targetAdmin, 'done', final);
      await unlockWrites(sourceAdmin);
      return { outcome: 'done', downtimeSeconds, finalPosition: final, verifiedChunks: chunks, verification, bypassSessions: bypass, sourceReadOnly: true, repoint };
    } catch (error) {
      // Undo: the source takes writes again, the follower goes on applying them.
      const downtimeSeconds = elapsed();
      await unlockWrites(sourceAdmin).catch(() => undefined);
      await setReadOnly(sourceAdmin, wasReadOnly).catch(() => undefined);
      // The source sells again already, so here the follower is waited for as long as the server allows.
      if (requested) {
        await targetAdmin.query('SET SESSION innodb_lock_wait_timeout = DEFAULT').catch(() => undefined);
        await store.setCutover(targetAdmin, 'aborted').catch(() => undefined);
      }
      if (!(error instanceof Aborted)) throw error;
      return {
        outcome: 'aborted',
        reason: error.message,
        downtimeSeconds,
        ...(final ? { finalPosition: final } : {}),
        verifiedChunks: chunks,
        verification,
        bypassSessions: bypass,
        sourceReadOnly: await readOnlyState(sourceAdmin),
        repoint,
      };
    }
  } finally {
    await Promise.all([targetAdmin, sourceAdmin, ...readers].map((connection) => connection.end().catch(() => undefined)));
  }
}
