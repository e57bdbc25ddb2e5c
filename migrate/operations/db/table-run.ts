import type { ChunkRange } from '../../mysql/chunk-planner.ts';
import type { ChunkChecksum } from '../../mysql/checksum.ts';
import type { TablePhase as CheckpointPhase } from '../../state/checkpoint-store.ts';
import type { TableDecision } from './table-decisions.ts';

/** One table's copy in progress: its chunk plan, deferred DDL, how far it got, and its checksums. */
export interface TableRun {
  readonly decision: TableDecision;
  readonly chunks: readonly ChunkRange[];
  /** Secondary indexes and foreign keys to add after the load (ALTER TABLE clauses). */
  readonly deferred: readonly string[];
  /** SHOW CREATE TABLE on the source, in the snapshot: what the finished target table must match. */
  readonly createSql: string;
  phase: CheckpointPhase;
  /** Chunks not copied yet. */
  remaining: number;
  started: number;
  finished: number;
  /** Rows and bytes copied so far (this run's and, on --resume, the earlier runs'). */
  rows: number;
  bytes: number;
  /** Source checksums of copied chunks (this run's or the checkpointed ones), by chunk index. */
  readonly checksums: Map<number, ChunkChecksum>;
  /** Target checksums taken in this run's chunk transactions, by chunk index. */
  readonly targetChecksums: Map<number, ChunkChecksum>;
}

export function tableName(run: TableRun): string {
  return run.decision.table.name;
}
