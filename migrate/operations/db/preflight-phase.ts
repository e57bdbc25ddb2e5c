import { UsageError } from '../../errors.ts';
import { readDatabaseInfo, readTables, selectTables } from '../../mysql/schema-reader.ts';
import { readServerSettings } from '../../mysql/server-settings.ts';
import { takeRunLease } from '../../state/run-lease.ts';
import type { DatabasePhase } from './db-phase.ts';
import { assertPreconditions, checkPreconditions } from './preconditions.ts';
import { decideTableActions } from './table-decisions.ts';
import { sizeForTarget } from './target-sizing.ts';

/**
 * Before anything is copied: the source tables, every precondition (one line naming what is wrong),
 * the run's lease on the target and the end of sessions an interrupted run left there, then what
 * happens to each table. Copies and writes nothing (a dry run ends here).
 */
export const preflightPhase: DatabasePhase = {
  name: 'preflight',
  async run(run) {
    const { settings } = run;
    const { source, target } = run.connections;
    const sourceInfo = await readDatabaseInfo(source, settings.sourceDatabase);
    if (!sourceInfo) throw new UsageError(`source database ${settings.sourceDatabase} does not exist on ${settings.source.display}`);
    const { selected, unknown } = selectTables(await readTables(source, settings.sourceDatabase), settings.include, settings.exclude);
    if (unknown.length) throw new UsageError(`no such table in the source: ${unknown.join(', ')}`);
    const warnings = assertPreconditions(
      await checkPreconditions({
        source, target, sourceDatabase: settings.sourceDatabase, targetDatabase: settings.targetDatabase, stateSchema: settings.stateSchema,
        tables: selected.map((table) => table.name), follow: settings.follow ?? false, overwrite: settings.overwrite,
      }),
    );
    const targetExists = (await readDatabaseInfo(target, settings.targetDatabase)) !== undefined;
    let leftovers;
    if (!settings.dryRun) {
      // Before the checkpoints are read: a killed run's session may still be committing its last chunk.
      const lease = await run.connections.openTarget();
      run.onClose(() => lease.end().catch(() => undefined));
      await takeRunLease(lease, settings.targetDatabase, settings.target.display);
      leftovers = await run.sessions.endLeftovers(target);
    }
    const stateExists = (await readDatabaseInfo(target, settings.stateSchema)) !== undefined;
    const checkpoints = stateExists && settings.resume ? await run.store.load(target) : new Map();
    const decisions = await decideTableActions({
      target, targetDatabase: settings.targetDatabase, targetExists, tables: selected, checkpoints, resume: settings.resume, overwrite: settings.overwrite,
    });
    run.preflight = {
      sourceInfo, tables: selected, decisions, targetExists, warnings,
      sizing: sizeForTarget(await readServerSettings(target), settings.parallel),
      ...(leftovers ? { leftovers } : {}),
    };
  },
};
