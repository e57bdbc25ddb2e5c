import type mysql from 'mysql2/promise';
import { prepareWriterSession } from '../../mysql/session.ts';
import type { PhaseProgress } from '../../progress/phases.ts';
import { retryReason } from '../../retry/error-class.ts';
import { TRANSACTION_RETRY, type RetryPolicy } from '../../retry/with-retries.ts';
import { CheckpointStore } from '../../state/checkpoint-store.ts';
import { SessionRegistry } from '../../state/session-registry.ts';
import type { DbConnections, DbRun, DbSettings } from './db-phase.ts';

export interface DbRunDeps {
  /** The admin sessions and the way to open more: see ConnectionPair. */
  readonly connections: Omit<DbConnections, 'openWriter'>;
  readonly progress: PhaseProgress;
  /** @default TRANSACTION_RETRY */
  readonly retry?: RetryPolicy;
}

/** A run's shared state, before any phase; `close()` ends every session the phases opened. */
export function createDbRun(settings: DbSettings, deps: DbRunDeps): DbRun & { close(): Promise<void> } {
  const closers: (() => Promise<void>)[] = [];
  const sessions = new SessionRegistry(settings.stateSchema, settings.targetDatabase);
  const onClose = (close: () => Promise<void>): void => {
    closers.push(close);
  };
  const openWriter = async (role: string): Promise<mysql.Connection> => {
    const writer = await deps.connections.openTarget(settings.targetDatabase);
    onClose(() => writer.end().catch(() => undefined));
    await prepareWriterSession(writer);
    await sessions.register(writer, role);
    return writer;
  };
  return {
    settings,
    connections: { ...deps.connections, openWriter },
    progress: deps.progress,
    retry: deps.retry ?? TRANSACTION_RETRY,
    store: new CheckpointStore(settings.stateSchema, settings.targetDatabase),
    sessions,
    startedAt: Date.now(),
    retries: {},
    onClose,
    async close() {
      for (const close of closers.splice(0).reverse()) await close();
    },
  };
}

/** Counts a retry by its reason and says so to whoever watches. */
export function noteRetry(run: DbRun, what: string, error: unknown): void {
  const reason = retryReason(error);
  run.retries[reason] = (run.retries[reason] ?? 0) + 1;
  run.progress.log(`retrying ${what} after ${reason}: ${(error as Error).message.split('\n', 1)[0]}`);
}
