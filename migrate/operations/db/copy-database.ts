import type { PhaseProgress } from '../../progress/phases.ts';
import type { RetryPolicy } from '../../retry/with-retries.ts';
import type { DbConnections, DbPhase, DbSettings } from './db-phase.ts';
import { dbPhases } from './db-phases.ts';
import { copyReport, type CopyReport } from './copy-report.ts';
import { createDbRun } from './db-run.ts';
import { runDbPhases } from './run-db-phases.ts';

export interface CopyDatabaseDeps {
  readonly connections: Omit<DbConnections, 'openWriter'>;
  readonly progress: PhaseProgress;
  /** @default TRANSACTION_RETRY */
  readonly retry?: RetryPolicy;
  /** @default dbPhases(settings) */
  readonly phases?: readonly DbPhase[];
}

/** The `db` use case: the phases of dbPhases() over the connections passed in; the report of what was done. */
export async function copyDatabase(settings: DbSettings, deps: CopyDatabaseDeps): Promise<CopyReport> {
  const run = createDbRun(settings, deps);
  try {
    await runDbPhases(deps.phases ?? dbPhases(settings), run);
    if (run.runId !== undefined) {
      const mismatch = run.verification?.some((table) => table.verdict === 'mismatch') ?? false;
      await run.store.finishRun(run.connections.target, run.runId, run.verification ? (mismatch ? 'mismatch' : 'verified') : 'copied');
      // Every session of this run ends with it: nothing for the next run to end.
      await run.sessions.forget(run.connections.target);
    }
    return copyReport(run);
  } finally {
    await run.close();
  }
}
