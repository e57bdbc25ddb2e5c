import type { ProgressCounters } from '../../progress/counters.ts';
import type { DbPhase, DbRun, TablePhase } from './db-phase.ts';
import { required } from './db-phase.ts';
import type { TableRun } from './table-run.ts';

/**
 * Runs the phases of a `db` run in order. A database phase runs alone; a stretch of table phases runs
 * as one pipeline (see TablePhase) under one progress phase named after its first phase.
 */
export async function runDbPhases(phases: readonly DbPhase[], run: DbRun): Promise<void> {
  const active = phases.filter((phase) => phase.enabled?.(run) ?? true);
  for (let index = 0; index < active.length; ) {
    const phase = active[index]!;
    if (!isTablePhase(phase)) {
      await phase.run(run);
      index += 1;
      continue;
    }
    let end = index;
    while (end < active.length && isTablePhase(active[end]!)) end += 1;
    await runTablePipeline(active.slice(index, end) as TablePhase[], run);
    index = end;
  }
}

export function isTablePhase(phase: DbPhase): phase is TablePhase {
  return 'table' in phase;
}

/**
 * Every table passes each phase in order; a phase takes the tables in the order they leave the one
 * before, at most `concurrency` at once. The first failure stops new work; what is in flight finishes.
 */
async function runTablePipeline(stages: readonly TablePhase[], run: DbRun): Promise<void> {
  const counters = run.progress.start(stages[0]!.name);
  try {
    for (const stage of stages) await stage.start?.(run, counters);
    await flowThrough(stages, run, counters, [...required(run.tables, 'the tables to copy', stages[0]!.name).values()]);
  } finally {
    run.progress.end();
  }
}

async function flowThrough(stages: readonly TablePhase[], run: DbRun, counters: ProgressCounters, tables: readonly TableRun[]): Promise<void> {
  let failure: { error: unknown } | undefined;
  const fail = (error: unknown): void => {
    failure ??= { error };
  };
  // inputs[i] holds the tables waiting for stage i; a stage's input closes when the stage before is done.
  const inputs = stages.map(() => new TableQueue());
  for (const table of tables) inputs[0]!.push(table);
  inputs[0]!.close();
  await Promise.all(
    stages.map(async (stage, index) => {
      const workers = Math.max(1, stage.concurrency?.(run) ?? 1);
      const worker = async (): Promise<void> => {
        for (let table = await inputs[index]!.next(); table; table = await inputs[index]!.next()) {
          if (failure) continue; // drain: nothing new starts after a failure
          try {
            await stage.table(run, table, counters);
            inputs[index + 1]?.push(table);
          } catch (error) {
            fail(error);
          }
        }
      };
      await Promise.all(Array.from({ length: workers }, worker));
      if (!failure && stage.finish) await stage.finish(run, counters).catch(fail);
      inputs[index + 1]?.close();
    }),
  );
  if (failure) throw failure.error;
}

/** A FIFO of tables one stage hands to the next; `next()` waits, and yields undefined once closed and empty. */
class TableQueue {
  private readonly items: TableRun[] = [];
  private readonly waiting: ((table: TableRun | undefined) => void)[] = [];
  private closed = false;

  push(table: TableRun): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(table);
    else this.items.push(table);
  }

  close(): void {
    this.closed = true;
    for (const waiter of this.waiting.splice(0)) waiter(undefined);
  }

  next(): Promise<TableRun | undefined> {
    const item = this.items.shift();
    if (item || this.closed) return Promise.resolve(item);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
