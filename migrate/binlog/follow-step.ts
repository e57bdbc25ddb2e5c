import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';
import { connect } from '../mysql/connect.ts';
import { crc32 } from '../mysql/crc32.ts';
import { readTables, selectTables } from '../mysql/schema-reader.ts';
import type { DatabasePair } from '../operations/database-pair.ts';
import { BENCH_ROWS_PER_SECOND } from '../operations/plan-database.ts';
import type { SnapshotInfo } from '../mysql/snapshot.ts';
import type { BinlogPosition } from './binlog-position.ts';
import { followBinlog, type FollowInput, type FollowReport } from './follow-binlog.ts';
import { FollowStateStore } from './follow-state.ts';
import { checkFollowPreconditions } from './preconditions.ts';
import { readSourcePosition } from './source-position.ts';

/** A default replication server id per target, so two follows of different targets never collide. */
export function defaultServerId(target: string, database: string): number {
  return 0x7e00_0000 + (crc32(Buffer.from(`${target}/${database}`)) % 0x00ff_ffff);
}

export interface FollowPreparation {
  /** `--resume --follow` after the copy finished: go straight to the catch-up from its checkpoint. */
  readonly skipCopy: boolean;
  /** Where the catch-up starts after this run's copy: the snapshot, or the first interrupted run's earlier position. */
  startAfterCopy(copy: { snapshot?: SnapshotInfo; tables: readonly { action: string }[] }): BinlogPosition | undefined;
}

export interface PrepareFollowInput extends DatabasePair {
  readonly resume: boolean;
  readonly overwrite: boolean;
  /** Check the preconditions only; write nothing. */
  readonly dryRun: boolean;
  readonly stateSchema: string;
  readonly serverId: number;
}

async function withConnections<T>(input: PrepareFollowInput, work: (source: mysql.Connection, target: mysql.Connection) => Promise<T>): Promise<T> {
  const source = await connect(input.source);
  try {
    const target = await connect(input.target);
    try {
      return await work(source, target);
    } finally {
      await target.end().catch(() => undefined);
    }
  } finally {
    await source.end().catch(() => undefined);
  }
}

/**
 * Before anything is copied: the binlog preconditions, and the follow checkpoint on the target
 * (where the catch-up will start). With `--resume` and a catch-up already under way, the copy is skipped.
 */
export async function prepareFollow(input: PrepareFollowInput): Promise<FollowPreparation> {
  return withConnections(input, async (source, target) => {
    const store = new FollowStateStore(input.stateSchema, input.targetDatabase);
    const existing = await store.load(target);
    if (existing && existing.phase !== 'copy') {
      if (input.resume) return { skipCopy: true, startAfterCopy: () => undefined };
      if (!input.overwrite) {
        throw new UsageError(`the target is already being followed (checkpoint ${existing.applied.file}:${existing.applied.position}): pass --resume to continue, or --overwrite to copy again`);
      }
    }
    const { selected, unknown } = selectTables(await readTables(source, input.sourceDatabase), input.include, input.exclude);
    if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
    const rows = selected.reduce((sum, table) => sum + table.rowsEstimate, 0);
    await checkFollowPreconditions({
      source,
      database: input.sourceDatabase,
      tables: selected,
      estimatedCopySeconds: rows / BENCH_ROWS_PER_SECOND + 1,
      serverId: input.serverId,
    });
    const resumingCopy = input.resume && existing?.phase === 'copy';
    const earliest = resumingCopy ? existing.start : await readSourcePosition(source);
    if (!earliest) throw new UsageError('binary logging is off on the source');
    if (!resumingCopy && !input.dryRun) {
      await store.ensure(target);
      await store.begin(target, input.sourceDatabase, earliest, selected.map((table) => table.name));
    }
    return {
      skipCopy: false,
      startAfterCopy: (copy) => {
        // Chunks copied by an interrupted run come from its older snapshot: replay from before it.
        const fresh = copy.tables.every((table) => table.action === 'create');
        const snapshot = copy.snapshot;
        if (fresh && snapshot?.binlogFile && snapshot.binlogPosition !== undefined) {
          return { file: snapshot.binlogFile, position: snapshot.binlogPosition, ...(snapshot.gtid ? { gtid: snapshot.gtid } : {}) };
        }
        return earliest;
      },
    };
  });
}

export type { FollowInput, FollowReport };
export { followBinlog };
