import type { DbPhase, DbSettings } from './db-phase.ts';
import { copyPhase } from './copy-phase.ts';
import { indexesPhase } from './indexes-phase.ts';
import { objectsPhase } from './objects-phase.ts';
import { preflightPhase } from './preflight-phase.ts';
import { snapshotPhase } from './snapshot-phase.ts';
import { verifyPhase } from './verify-phase.ts';

/**
 * The phases of `bin/migrate db`, in order (see db-phase.ts for what each receives and produces).
 * A binlog catch-up (`db --follow`) is one more DatabasePhase after verify, reading the snapshot's
 * position (snapshotPosition(run)) and writing through run.connections.openWriter under run.retry.
 */
export function dbPhases(settings: DbSettings): DbPhase[] {
  if (settings.dryRun) return [preflightPhase];
  return [preflightPhase, snapshotPhase, copyPhase, indexesPhase, objectsPhase, verifyPhase];
}
