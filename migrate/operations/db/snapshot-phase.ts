import { openSnapshotReaders } from '../../mysql/snapshot.ts';
import { required, type DatabasePhase } from './db-phase.ts';

/**
 * One consistent snapshot of the source for every reader (as mydumper takes it), and where it sits
 * in the binlog: the position a catch-up starts from.
 */
export const snapshotPhase: DatabasePhase = {
  name: 'snapshot',
  async run(run) {
    const preflight = required(run.preflight, 'the preflight', 'snapshot');
    const snapshot = await openSnapshotReaders({
      open: run.connections.openSource,
      database: run.settings.sourceDatabase,
      count: run.settings.parallel,
      tables: preflight.tables.map((table) => table.name),
    });
    run.onClose(() => snapshot.close());
    run.snapshot = snapshot;
  },
};
