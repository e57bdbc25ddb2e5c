import type mysql from 'mysql2/promise';
import { deferredForeignKeys, deferredIndexes } from '../../mysql/table-ddl.ts';
import { isConnectionLost } from '../../retry/error-class.ts';
import { withRetries } from '../../retry/with-retries.ts';
import { WorkerSlots } from '../worker-slots.ts';
import { applyDeferred } from './apply-deferred.ts';
import { required, type DbRun, type TablePhase } from './db-phase.ts';
import { noteRetry } from './db-run.ts';
import { tableName } from './table-run.ts';

interface IndexBuilders {
  readonly slots: WorkerSlots;
  readonly sessions: mysql.Connection[];
}

const builders = new WeakMap<DbRun, IndexBuilders>();

/**
 * Secondary indexes, built from sorted data once a table's rows are all in (much faster than
 * maintaining them row by row), while the table is still warm in the buffer pool; as many builds at
 * once as the target's buffer pool allows (see sizeForTarget). Then the foreign keys, one table at a
 * time (adding one while the referenced table is being altered fails on MariaDB); with
 * foreign_key_checks=0 they are metadata only: the source already enforced them.
 */
export const indexesPhase: TablePhase = {
  name: 'indexes',
  concurrency: (run) => required(run.preflight, 'the preflight', 'indexes').sizing.indexBuilds,
  async start(run) {
    const count = required(run.preflight, 'the preflight', 'indexes').sizing.indexBuilds;
    const sessions: mysql.Connection[] = [];
    for (let i = 0; i < count; i += 1) sessions.push(await run.connections.openWriter('index builder'));
    builders.set(run, { slots: new WorkerSlots(count), sessions });
  },
  async table(run, table, counters) {
    if (table.phase !== 'loading') return;
    const { slots, sessions } = required(builders.get(run), 'the index builders', 'indexes');
    const name = tableName(table);
    const task = `${name} (indexes)`;
    counters.addTask(task);
    counters.start(task);
    await slots.use(async (slot) => {
      let lost = false;
      await withRetries(
        async () => {
          if (lost) {
            const stale = sessions[slot]!;
            sessions[slot] = await run.connections.openWriter('index builder');
            stale.destroy();
            lost = false;
          }
          // A build that committed before its connection dropped is recognised by the table's definition.
          await applyDeferred(sessions[slot]!, name, deferredIndexes(table.deferred), table.createSql, false, run.settings.targetDatabase);
          await run.store.markPhase(sessions[slot]!, name, 'indexed');
        },
        {
          ...run.retry,
          onRetry: (error) => {
            lost ||= isConnectionLost(error);
            noteRetry(run, `the index build of ${name}`, error);
          },
        },
      );
    });
    table.phase = 'indexed';
    table.finished = Date.now();
    counters.finish(task);
  },
  async finish(run) {
    const admin = run.connections.target;
    for (const table of required(run.tables, 'the tables', 'indexes').values()) {
      if (table.phase === 'complete') continue;
      const name = tableName(table);
      await withRetries(async () => {
        await applyDeferred(admin, name, deferredForeignKeys(table.deferred), table.createSql, true, run.settings.targetDatabase);
        await run.store.markPhase(admin, name, 'complete');
      }, { ...run.retry, onRetry: (error) => noteRetry(run, `the foreign keys of ${name}`, error) });
      table.phase = 'complete';
    }
  },
};
