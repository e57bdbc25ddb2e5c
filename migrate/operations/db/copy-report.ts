import type { ObjectOutcome } from '../../mysql/schema-objects.ts';
import type { SnapshotInfo } from '../../mysql/snapshot.ts';
import type { LeftoverSessions } from '../../state/session-registry.ts';
import type { TableVerification } from '../verify-tables.ts';
import type { DbRun } from './db-phase.ts';
import type { TableAction } from './table-decisions.ts';

export interface CopiedTable {
  readonly name: string;
  readonly action: TableAction;
  readonly rows: number;
  readonly bytes: number;
  readonly chunks: number;
  readonly seconds: number;
  readonly verdict: 'match' | 'mismatch' | 'not verified';
}

/** The final report of `bin/migrate db` (printed as text, or as one JSON line with --json). */
export interface CopyReport {
  readonly source: string;
  readonly target: string;
  readonly sourceDatabase: string;
  readonly targetDatabase: string;
  readonly dryRun: boolean;
  readonly snapshot?: SnapshotInfo;
  readonly tables: readonly CopiedTable[];
  readonly objects: readonly ObjectOutcome[];
  readonly verification?: readonly TableVerification[];
  /** Retries taken, by reason (deadlock, lock wait timeout, connection lost, ...). */
  readonly retries: Readonly<Record<string, number>>;
  /** Sessions an interrupted run had left on the target, ended before the copy went on. */
  readonly leftoverSessions?: LeftoverSessions;
  readonly warnings: readonly string[];
  readonly seconds: { readonly copy: number; readonly verify: number; readonly total: number };
}

/** The report of what a run did (or, for a dry run, would do). */
export function copyReport(run: DbRun): CopyReport {
  const { settings } = run;
  const now = Date.now();
  const preflight = run.preflight;
  const common = {
    source: settings.source.display,
    target: settings.target.display,
    sourceDatabase: settings.sourceDatabase,
    targetDatabase: settings.targetDatabase,
    retries: run.retries,
    warnings: preflight?.warnings ?? [],
    ...(preflight?.leftovers?.found ? { leftoverSessions: preflight.leftovers } : {}),
  };
  if (settings.dryRun || !run.tables) {
    return {
      ...common,
      dryRun: true,
      tables: (preflight?.decisions ?? []).map((decision) => ({
        name: decision.table.name,
        action: decision.action,
        rows: decision.table.rowsEstimate,
        bytes: decision.table.dataBytes,
        chunks: decision.table.integerKey ? Math.max(1, Math.ceil(decision.table.rowsEstimate / settings.chunkRows)) : 1,
        seconds: 0,
        verdict: 'not verified' as const,
      })),
      objects: [],
      seconds: { copy: 0, verify: 0, total: (now - run.startedAt) / 1000 },
    };
  }
  const copiedAt = run.copiedAt ?? now;
  return {
    ...common,
    dryRun: false,
    ...(run.snapshot ? { snapshot: run.snapshot.snapshot } : {}),
    tables: [...run.tables.values()].map((table) => ({
      name: table.decision.table.name,
      action: table.decision.action,
      rows: table.rows,
      bytes: table.bytes,
      chunks: table.chunks.length,
      seconds: table.finished && table.started ? (table.finished - table.started) / 1000 : 0,
      verdict: run.verification?.find((item) => item.table === table.decision.table.name)?.verdict ?? 'not verified',
    })),
    objects: run.objects ?? [],
    ...(run.verification ? { verification: run.verification } : {}),
    seconds: { copy: (copiedAt - run.startedAt) / 1000, verify: run.verification ? (now - copiedAt) / 1000 : 0, total: (now - run.startedAt) / 1000 },
  };
}
