import { setTimeout as sleep } from 'node:timers/promises';
import type mysql from 'mysql2/promise';
import { CliError } from '../errors.ts';
import { quoteId } from '../mysql/connect.ts';

/** What was found of an interrupted run's sessions on the target, and what became of them. */
export interface LeftoverSessions {
  /** Sessions of earlier runs still on the server (a LOAD DATA or ALTER still running, or rolling back). */
  readonly found: number;
  /** Ended by KILL CONNECTION. */
  readonly killed: number;
}

/** @default 120 s: long enough for InnoDB to roll back a killed chunk or index build. */
const WAIT_FOR_LEFTOVERS_MS = 120_000;
const POLL_MS = 100;

/**
 * Every target session of a run registers its connection id in the state schema, with when the
 * server started: ids are unique for the lifetime of a server process, so after kill -9 the next
 * run finds exactly the sessions the killed run left running (PROCESSLIST shows no statement for an
 * idle one, and session variables are private), and never mistakes another client's session for one
 * (a restarted server starts ids again: rows from before the restart are ignored).
 */
export class SessionRegistry {
  private readonly table: string;
  private serverStarted: number | undefined;

  constructor(
    stateSchema: string,
    private readonly targetSchema: string,
  ) {
    this.table = `${quoteId(stateSchema)}.copy_sessions`;
  }

  async ensure(connection: mysql.Connection): Promise<void> {
    this.serverStarted = await serverStarted(connection);
    await connection.query(`CREATE TABLE IF NOT EXISTS ${this.table} (
      target_schema VARCHAR(64) NOT NULL, connection_id BIGINT UNSIGNED NOT NULL, server_started BIGINT NOT NULL,
      role VARCHAR(32) NOT NULL, registered_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
      PRIMARY KEY (target_schema, connection_id, server_started)) ENGINE=InnoDB`);
  }

  /** Records `connection` as one of this run's sessions (autocommit: visible to the next run even after kill -9). */
  async register(connection: mysql.Connection, role: string): Promise<void> {
    await connection.query(
      `REPLACE INTO ${this.table} (target_schema, connection_id, server_started, role) VALUES (?, CONNECTION_ID(), ?, ?)`,
      [this.targetSchema, this.serverStarted ?? (await serverStarted(connection)), role],
    );
  }

  /**
   * Ends the sessions an interrupted run left on the target (call it holding the run lease, so the
   * run that registered them is known to be gone): KILL CONNECTION each one still there, then wait
   * (bounded) until the server has rolled them back and they are gone, and forget them.
   */
  async endLeftovers(admin: mysql.Connection): Promise<LeftoverSessions> {
    let rows;
    try {
      [rows] = await admin.query(
        `SELECT connection_id AS id FROM ${this.table} WHERE target_schema = ? AND ABS(server_started - ?) <= 2 AND connection_id <> CONNECTION_ID()`,
        [this.targetSchema, await serverStarted(admin)],
      );
    } catch (error) {
      // 1146 no such table, 1049 unknown database: no run has written here yet, so none left anything.
      const errno = (error as { errno?: number }).errno;
      if (errno === 1146 || errno === 1049) return { found: 0, killed: 0 };
      throw error;
    }
    const registered = (rows as { id: number | string }[]).map((row) => Number(row.id));
    let alive = await this.stillThere(admin, registered);
    let killed = 0;
    for (const id of alive) {
      try {
        await admin.query(`KILL CONNECTION ${id}`);
        killed += 1;
      } catch (error) {
        // 1094 unknown thread: it ended by itself meanwhile. Anything else (no privilege): wait it out below.
        if ((error as { errno?: number }).errno !== 1094) continue;
      }
    }
    const found = alive.length;
    const deadline = Date.now() + WAIT_FOR_LEFTOVERS_MS;
    while (alive.length > 0) {
      if (Date.now() > deadline) {
        throw new CliError(`sessions of an interrupted run are still busy on the target (connections ${alive.join(', ')}): try again when they are gone`);
      }
      await sleep(POLL_MS);
      alive = await this.stillThere(admin, alive);
    }
    await this.forget(admin);
    return { found, killed };
  }

  /** Forgets every registered session of this target (at the end of a run: they are all gone then). */
  async forget(admin: mysql.Connection): Promise<void> {
    await admin.query(`DELETE FROM ${this.table} WHERE target_schema = ?`, [this.targetSchema]);
  }

  private async stillThere(admin: mysql.Connection, ids: readonly number[]): Promise<number[]> {
    if (ids.length === 0) return [];
    const [rows] = await admin.query(`SELECT ID AS id FROM information_schema.PROCESSLIST WHERE ID IN (?)`, [ids]);
    return (rows as { id: number | string }[]).map((row) => Number(row.id));
  }
}

/** When the server process started, in seconds since the epoch (the Uptime status is readable by anyone). */
async function serverStarted(connection: mysql.Connection): Promise<number> {
  const [[status]] = (await connection.query("SHOW GLOBAL STATUS LIKE 'Uptime'")) as unknown as [{ Value: string }[]];
  const [[clock]] = (await connection.query('SELECT UNIX_TIMESTAMP() AS now')) as unknown as [{ now: string | number }[]];
  return Math.round(Number(clock!.now) - Number(status!.Value));
}
