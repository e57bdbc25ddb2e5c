/**
 * What a failure means for a run, decided in ONE place for every backend (S3, MySQL, sockets), like
 * rclone's fserrors:
 * - `fatal`: retrying or moving on cannot help (no bucket, access denied, a read-only target): stop the run.
 * - `retryable`: the same request may well succeed a moment later (throttling, 5xx, a deadlock, a
 *   lock wait timeout, a dropped connection): try again after a backoff (see with-retries.ts).
 * - `file`: not worth retrying, but it fails only the unit of work in hand (a poster file, a chunk);
 *   the operation decides whether the run goes on without it.
 */
export type ErrorClass = 'fatal' | 'retryable' | 'file';

/** Socket and client-side failures: the peer may be fine a moment later. */
const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED',
  'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'ERR_STREAM_PREMATURE_CLOSE',
  // mysql2: the server closed the connection (KILL, restart, failover, idle timeout).
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** S3 error codes that mean "slow down / try again", whatever the HTTP status. */
const RETRYABLE_S3_CODES = new Set([
  'SlowDown', 'Throttling', 'ThrottlingException', 'RequestTimeout', 'RequestTimeTooSkewed',
  'InternalError', 'ServiceUnavailable', 'RequestTimeoutException', 'TimeoutError', 'BadDigest',
]);

/** S3 errors that stop the whole run. */
const FATAL_S3_CODES = new Set([
  'NoSuchBucket', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AllAccessDisabled',
  'InvalidBucketName', 'PermanentRedirect', 'AuthorizationHeaderMalformed', 'ExpiredToken', 'InvalidToken',
  // The SDK found no credentials at all (no env, no profile, no instance role).
  'CredentialsProviderError',
]);

/** MySQL/MariaDB server errors worth another attempt of the same transaction. */
export const RETRYABLE_MYSQL_ERRNOS: ReadonlyMap<number, string> = new Map([
  [1213, 'deadlock'], // ER_LOCK_DEADLOCK: InnoDB rolled the transaction back
  [1205, 'lock wait timeout'], // ER_LOCK_WAIT_TIMEOUT
  [1317, 'query interrupted'], // ER_QUERY_INTERRUPTED (KILL QUERY)
  [1927, 'connection killed'], // ER_CONNECTION_KILLED (MariaDB: KILL CONNECTION)
  [1053, 'server shutdown'], // ER_SERVER_SHUTDOWN
  [1040, 'too many connections'], // ER_CON_COUNT_ERROR
  [1158, 'network read error'], [1159, 'network read interrupted'], [1160, 'network write error'], [1161, 'network write interrupted'],
  [2006, 'server gone away'], [2013, 'connection lost'], // CR_SERVER_GONE_ERROR, CR_SERVER_LOST
  [4031, 'disconnected by the server (idle timeout)'], // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
]);

/** MySQL/MariaDB server errors no retry can fix: privileges, a read-only or full server. */
const FATAL_MYSQL_ERRNOS = new Set([
  1044, 1045, 1142, 1143, 1227, 1370, // access denied (database, user, table, column, privilege, routine)
  1049, // ER_BAD_DB_ERROR
  1290, 1836, // ER_OPTION_PREVENTS_STATEMENT (read_only), ER_READ_ONLY_MODE
  1114, 1021, // ER_RECORD_FILE_FULL, ER_DISK_FULL
  1148, 3948, 4166, // LOAD DATA LOCAL INFILE refused
]);

/** Errors that leave the connection unusable: a retry needs a new one. */
const CONNECTION_LOST_CODES = new Set(['PROTOCOL_CONNECTION_LOST', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'PROTOCOL_SEQUENCE_TIMEOUT']);
const CONNECTION_LOST_ERRNOS = new Set([1927, 1053, 2006, 2013, 4031]);

interface ErrorShape {
  code?: unknown;
  errno?: unknown;
  name?: unknown;
  Code?: unknown;
  fatal?: unknown;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}

/** The S3 error code (`SlowDown`, `NoSuchBucket`, ...), MySQL code (`ER_LOCK_DEADLOCK`) or socket code of an error, if any. */
export function errorCodeOf(error: unknown): string | undefined {
  const e = shape(error);
  for (const candidate of [e.Code, e.code, e.name]) if (typeof candidate === 'string' && candidate !== 'Error') return candidate;
  return undefined;
}

/** The server's error number of a MySQL error (1213, 1205, ...), if it is one. */
export function mysqlErrno(error: unknown): number | undefined {
  const errno = shape(error).errno;
  return typeof errno === 'number' && errno >= 1000 ? errno : undefined;
}

export function classifyError(error: unknown): ErrorClass {
  const e = shape(error);
  const code = errorCodeOf(error);
  const errno = mysqlErrno(error);
  if (code && FATAL_S3_CODES.has(code)) return 'fatal';
  if (errno !== undefined && FATAL_MYSQL_ERRNOS.has(errno)) return 'fatal';
  if (errno !== undefined && RETRYABLE_MYSQL_ERRNOS.has(errno)) return 'retryable';
  if (code && (RETRYABLE_S3_CODES.has(code) || RETRYABLE_NETWORK_CODES.has(code))) return 'retryable';
  if (e.$retryable) return 'retryable';
  // mysql2 marks what closed the connection `fatal` (also "Can't add new command when connection is in
  // closed state", the next query on a session the server dropped while it was idle): a new one may work.
  if (e.fatal === true) return 'retryable';
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return 'retryable';
  if (e.cause !== undefined && e.cause !== error) return classifyError(e.cause) === 'retryable' ? 'retryable' : 'file';
  return 'file';
}

/** True when the error closed the connection it happened on: whoever retries must open a new one. */
export function isConnectionLost(error: unknown): boolean {
  const e = shape(error);
  const code = errorCodeOf(error);
  const errno = mysqlErrno(error);
  return (code !== undefined && CONNECTION_LOST_CODES.has(code)) || (errno !== undefined && CONNECTION_LOST_ERRNOS.has(errno)) || e.fatal === true;
}

/** A short name for a retryable failure, for counters and logs: `deadlock`, `SlowDown`, `connection lost`. */
export function retryReason(error: unknown): string {
  const errno = mysqlErrno(error);
  if (errno !== undefined && RETRYABLE_MYSQL_ERRNOS.has(errno)) return RETRYABLE_MYSQL_ERRNOS.get(errno)!;
  if (isConnectionLost(error)) return 'connection lost';
  return errorCodeOf(error) ?? 'error';
}
