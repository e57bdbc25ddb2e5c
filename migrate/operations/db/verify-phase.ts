import type mysql from 'mysql2/promise';
import { copiedColumns } from '../../mysql/column-expressions.ts';
import { prepareChecksumSession } from '../../mysql/session.ts';
import { verifyTables } from '../verify-tables.ts';
import { required, type DatabasePhase } from './db-phase.ts';

/**
 * Source and target compared chunk by chunk: the source's checksums are those of the bytes the copy
 * sent; the target's were taken in each chunk's own transaction while its pages were in the buffer
 * pool (so a target with a small pool is not read a second time), and are asked afresh for chunks an
 * earlier, interrupted run copied. A mismatched chunk is narrowed to rows, each named by its key.
 */
export const verifyPhase: DatabasePhase = {
  name: 'verify',
  enabled: (run) => run.settings.verify,
  async run(run) {
    const snapshot = required(run.snapshot, 'the snapshot', 'verify');
    const tables = required(run.tables, 'the copied tables', 'verify');
    const targets: mysql.Connection[] = [];
    for (let i = 0; i < snapshot.readers.length; i += 1) {
      const session = await run.connections.openTarget(run.settings.targetDatabase);
      run.onClose(() => session.end().catch(() => undefined));
      await prepareChecksumSession(session);
      targets.push(session);
    }
    const counters = run.progress.start('verify');
    try {
      run.verification = await verifyTables({
        sources: snapshot.readers,
        targets,
        tables: [...tables.values()].map((table) => ({
          table: table.decision.table,
          chunks: table.chunks,
          columns: copiedColumns(table.decision.table.columns),
          sourceChecksums: table.checksums,
          targetChecksums: table.targetChecksums,
        })),
        counters,
      });
    } finally {
      run.progress.end();
    }
  },
};
