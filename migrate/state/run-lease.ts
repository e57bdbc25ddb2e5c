import { createHash } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { UsageError } from '../errors.ts';

/** How long a new run waits for an earlier run's lease: released at once when that run's process is gone. */
const LEASE_WAIT_SECONDS = 10;

/** GET_LOCK names are at most 64 characters. */
export function leaseName(targetDatabase: string): string {
  const name = `ticketkit-migrate:${targetDatabase}`;
  return name.length <= 64 ? name : `ticketkit-migrate:${createHash('sha256').update(targetDatabase).digest('hex').slice(0, 40)}`;
}

/**
 * One run at a time per target database: the run holds a named lock on a session of its own that
 * never runs a statement after taking it. An idle session notices at once when its client is gone
 * (kill -9, a crash), so the lock is free again within milliseconds; a run that is alive keeps it.
 * Sessions of the earlier run that were busy (a LOAD DATA, an ALTER) are ended separately (see
 * SessionRegistry.endLeftovers), once the lease proves that run is gone.
 */
export async function takeRunLease(session: mysql.Connection, targetDatabase: string, display: string): Promise<void> {
  const name = leaseName(targetDatabase);
  const [rows] = await session.query('SELECT GET_LOCK(?, ?) AS ok', [name, LEASE_WAIT_SECONDS]);
  if (Number((rows as { ok: number | null }[])[0]?.ok) === 1) return;
  const [holders] = await session.query('SELECT IS_USED_LOCK(?) AS id', [name]);
  const holder = (holders as { id: number | null }[])[0]?.id;
  throw new UsageError(
    `another bin/migrate run is writing into ${targetDatabase} on ${display}${holder ? ` (its lease is held by connection ${holder})` : ''}: wait for it to finish or stop it`,
  );
}
