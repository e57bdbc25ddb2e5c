// The seam of `bin/migrate db`: what every phase receives (DbRun: settings, connections, retry policy,
// state) and produces for the next. A new phase (the binlog catch-up, `follow`) is one more
// DatabasePhase in dbPhases(); see docs/migrate.md, "Phases, and the seam".
import type mysql from 'mysql2/promise';
import type { ConnectionPair } from '../../mysql/connection-pair.ts';
import type { ObjectOutcome } from '../../mysql/schema-objects.ts';
import type { DatabaseInfo, TableInfo } from '../../mysql/schema-reader.ts';
import type { SnapshotInfo, SnapshotReaders } from '../../mysql/snapshot.ts';
import type { ProgressCounters } from '../../progress/counters.ts';
import type { PhaseProgress } from '../../progress/phases.ts';
import type { RetryPolicy } from '../../retry/with-retries.ts';
import type { CheckpointStore } from '../../state/checkpoint-store.ts';
import type { LeftoverSessions, SessionRegistry } from '../../state/session-registry.ts';
import type { DatabasePair } from '../database-pair.ts';
import type { TargetSizing } from './target-sizing.ts';
import type { TableDecision } from './table-decisions.ts';
import type { TableRun } from './table-run.ts';
import type { TableVerification } from '../verify-tables.ts';

/**
 * The phases of `bin/migrate db`, in order. `follow` (the binlog catch-up, migrate/binlog/) slots in
 * after `verify`; the cut-over is a command of its own (commands/cutover.ts), not a phase.
 */
export type DbPhaseName = 'preflight' | 'snapshot' | 'copy' | 'indexes' | 'objects' | 'verify' | 'follow';

/** What the user asked `db` for (flags, parsed). */
export interface DbSettings extends DatabasePair {
  readonly resume: boolean;
  readonly overwrite: boolean;
  readonly dryRun: boolean;
  readonly verify: boolean;
  /** Build secondary indexes and foreign keys after the bulk load. @default true */
  readonly deferIndexes?: boolean;
  readonly stateSchema: string;
  /**
   * A binlog catch-up follows the copy (`db --follow`): every copied table then needs a primary or
   * non-null unique key (an error in preflight, not a warning). @default false
   */
  readonly follow?: boolean;
}

/** Sessions on both servers: the admin pair passed in, and the way to open more. */
export interface DbConnections extends Omit<ConnectionPair, 'close'> {
  /**
   * Opens a target session for writing (chunk writers, index builders, binlog batches), prepared as
   * the bulk load needs it and registered as this run's (so a later run can end it after kill -9).
   * Closed with the run.
   */
  openWriter(role: string): Promise<mysql.Connection>;
}

/** What preflight found out, before anything was written. */
export interface Preflight {
  readonly sourceInfo: DatabaseInfo;
  /** The selected source tables, largest first. */
  readonly tables: readonly TableInfo[];
  readonly decisions: readonly TableDecision[];
  readonly targetExists: boolean;
  /** Sizes derived from the target server's own settings (chunk rows, index builds in flight). */
  readonly sizing: TargetSizing;
  /** Things worth knowing that do not stop a copy (e.g. a table no catch-up could follow). */
  readonly warnings: readonly string[];
  /** Sessions an interrupted run had left on the target, ended before this run read its checkpoints. */
  readonly leftovers?: LeftoverSessions;
}

/**
 * The state one run of `db` shares between its phases. The connections and settings are passed in;
 * each phase fills in what it produces (`preflight`, `snapshot`, `tables`, ...) for the phases after it.
 */
export interface DbRun {
  readonly settings: DbSettings;
  readonly connections: DbConnections;
  readonly progress: PhaseProgress;
  /** For every write that may meet a deadlock, a lock wait timeout or a dropped connection. */
  readonly retry: RetryPolicy;
  readonly store: CheckpointStore;
  readonly sessions: SessionRegistry;
  readonly startedAt: number;
  /** Called when the run ends, last registered first (sessions a phase opened, for instance). */
  onClose(close: () => Promise<void>): void;
  /** Retries taken, by reason (`deadlock`, `lock wait timeout`, `connection lost`, ...). */
  readonly retries: Record<string, number>;

  preflight?: Preflight;
  /** Readers in one consistent snapshot of the source, and where it sits in the binlog. */
  snapshot?: SnapshotReaders;
  /** This run's record in the state schema (copy_runs.id). */
  runId?: number;
  /** Every selected table's copy, in copy order. */
  tables?: Map<string, TableRun>;
  objects?: readonly ObjectOutcome[];
  verification?: readonly TableVerification[];
  /** When the copy (data, indexes, foreign keys, objects) was complete, ms since the epoch. */
  copiedAt?: number;
}

/** A phase that works on the whole database at once. */
export interface DatabasePhase {
  readonly name: DbPhaseName;
  /** Whether this run includes the phase (e.g. verify unless --no-verify). @default always */
  readonly enabled?: (run: DbRun) => boolean;
  readonly run: (run: DbRun) => Promise<void>;
}

/**
 * A phase that works table by table. Consecutive table phases form a pipeline: a table enters the
 * next phase as soon as it leaves this one (so a table's indexes are built while its pages are still
 * in the target's buffer pool), with at most `concurrency` tables in each phase at once.
 */
export interface TablePhase {
  readonly name: DbPhaseName;
  readonly enabled?: (run: DbRun) => boolean;
  /** Tables in this phase at once. @default 1 */
  readonly concurrency?: (run: DbRun) => number;
  /** Before the first table enters the pipeline (open sessions, create tables, plan chunks). */
  readonly start?: (run: DbRun, counters: ProgressCounters) => Promise<void>;
  readonly table: (run: DbRun, table: TableRun, counters: ProgressCounters) => Promise<void>;
  /** After every table has left this phase (e.g. foreign keys once every index is built). */
  readonly finish?: (run: DbRun, counters: ProgressCounters) => Promise<void>;
}

export type DbPhase = DatabasePhase | TablePhase;

/** A phase's input that an earlier phase should have produced; its absence is a bug in the phase list. */
export function required<T>(value: T | undefined, what: string, phase: DbPhaseName): T {
  if (value === undefined) throw new Error(`db phase ${phase} needs ${what}, which an earlier phase produces`);
  return value;
}

/** The snapshot's place in the source's binlog: where a catch-up (the follow phase) starts reading. */
export function snapshotPosition(run: DbRun): SnapshotInfo {
  return required(run.snapshot, 'the snapshot', 'follow').snapshot;
}
