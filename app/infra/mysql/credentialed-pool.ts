import mysql, { type Connection, type ConnectionOptions, type Pool, type PoolOptions } from 'mysql2/promise';
import type { CredentialSource, Credentials } from '../credentials/credential-source.ts';

/** The server refused the user or password (MySQL and MariaDB: 1045). */
export function isAccessDenied(error: unknown): boolean {
  return (error as { errno?: number } | null)?.errno === 1045;
}

/** The parts of mysql2's callback pool this module relies on (mysql2 3.x `lib/base/pool.js`). */
interface CorePool {
  getConnection(callback: Callback): void;
  config: { connectionConfig: { user?: string; password?: string } };
}

/**
 * A mysql2 pool whose every new connection authenticates with what `source` says at that moment, and
 * which, when the server refuses those credentials (1045), asks the source again and retries once: a
 * password rotated a moment ago, a fresh IAM token. Open connections are untouched (MySQL checks
 * credentials only at connect), so the pool stays warm through a rotation.
 *
 * mysql2 has no asynchronous per-connection password hook on pools (its auth plugins run only when the
 * server asks to switch plugins, never for a mysql_native_password user). But every connection the pool
 * opens copies `config.connectionConfig` synchronously inside `getConnection`, and `query`, `execute`,
 * transactions and queued waiters all go through `this.getConnection`. So the instance's `getConnection`
 * sets the current credentials on that template just before acquiring. A pooled connection that is
 * handed out again does not read them.
 */
export function createCredentialedPool(options: PoolOptions, source: CredentialSource): Pool {
  const pool = mysql.createPool(options);
  const core = pool.pool as unknown as CorePool;
  const acquire = core.getConnection.bind(core);
  let latest: Credentials | undefined;
  const apply = (credentials: Credentials) => {
    latest = credentials;
    core.config.connectionConfig.user = credentials.user;
    core.config.connectionConfig.password = credentials.password;
  };
  const attempt = (credentials: Credentials, retried: boolean, callback: Callback) => {
    const done: OwnCallback = Object.assign((error: Error | null, connection?: unknown) => {
      if (!error || retried || !isAccessDenied(error)) return callback(error, connection);
      source.refresh(done.presented).then((next) => attempt(next, true, callback), () => callback(error));
    }, { presented: credentials });
    apply(credentials);
    acquire(done);
  };
  core.getConnection = (callback) => {
    // A waiter of ours that mysql2 re-queues (when a connection leaves the pool it calls getConnection
    // again for the next waiter): it keeps its own retry state, and presents the latest credentials.
    if (isOwn(callback)) {
      if (latest) {
        callback.presented = latest;
        apply(latest);
      }
      return acquire(callback);
    }
    const current = source.current();
    if ('then' in current) current.then((credentials) => attempt(credentials, false, callback), (error: Error) => callback(error));
    else attempt(current, false, callback);
  };
  return pool;
}

type Callback = (error: Error | null, connection?: unknown) => void;
type OwnCallback = Callback & { presented: Credentials };

function isOwn(callback: Callback): callback is OwnCallback {
  return 'presented' in callback;
}

/** One connection outside any pool (schema migrations), with the same credentials and the same single retry. */
export async function connectWithCredentials(options: ConnectionOptions, source: CredentialSource): Promise<Connection> {
  const credentials = await source.current();
  try {
    return await mysql.createConnection({ ...options, user: credentials.user, password: credentials.password });
  } catch (error) {
    if (!isAccessDenied(error)) throw error;
    const next = await source.refresh(credentials);
    return mysql.createConnection({ ...options, user: next.user, password: next.password });
  }
}
