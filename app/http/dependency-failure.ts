/** Error codes of an unreachable, restarting or overloaded MySQL. */
const mysqlCodes = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH',
  'PROTOCOL_CONNECTION_LOST', 'PROTOCOL_SEQUENCE_TIMEOUT', 'ER_CON_COUNT_ERROR', 'ER_LOCK_WAIT_TIMEOUT',
  'ER_LOCK_DEADLOCK', 'ER_SERVER_SHUTDOWN', 'ER_QUERY_INTERRUPTED', 'ER_CONNECTION_KILLED',
  'ER_CLIENT_INTERACTION_TIMEOUT', 'ER_QUERY_TIMEOUT',
  // read_only: a database being cut over (bin/migrate cutover) or failing over refuses writes for a while.
  'ER_OPTION_PREVENTS_STATEMENT',
]);

/** Messages of ioredis when Redis is down or slow (it has no error codes for these). */
const redisMessages = [
  'Connection is closed',
  "Stream isn't writeable",
  'Command timed out',
  'Reached the max retries per request limit',
  'connect ECONNREFUSED',
  'LOADING',
  'MASTERDOWN',
  'READONLY',
  // Redis Cluster: no master serves the slot yet (failover), the slot map is unknown, or a command was
  // redirected until ioredis gave up (its last error is in the message).
  'CLUSTERDOWN',
  'TRYAGAIN',
  "Cluster isn't ready",
  'None of startup nodes is available',
  'Failed to refresh slots cache',
  'Too many Cluster redirections',
  // A refused password (rotation in flight): a cluster node's connection fails the command it was opened for.
  'WRONGPASS',
  'NOAUTH',
];

/** Names of AWS SDK errors when S3 is unreachable, slow or throttling. */
const s3ErrorNames = new Set(['TimeoutError', 'RequestTimeout', 'ServiceUnavailable', 'SlowDown', 'InternalError', 'NetworkingError']);

export type Dependency = 'mysql' | 'redis' | 's3';

/** Which dependency could not serve a request (MySQL, Redis or S3), or null when the error is something else. */
export function failedDependency(error: unknown): Dependency | null {
  if (!(error instanceof Error)) return null;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (s3ErrorNames.has(error.name) || (status !== undefined && status >= 500)) return 's3';
  const { code, fatal } = error as { code?: string; fatal?: boolean };
  if (code && mysqlCodes.has(code)) return 'mysql';
  if (fatal && code?.startsWith('PROTOCOL_')) return 'mysql';
  if (error.name === 'MaxRetriesPerRequestError') return 'redis';
  return redisMessages.some((message) => error.message.includes(message)) ? 'redis' : null;
}

/** True when a request failed because MySQL, Redis or S3 could not serve it: the answer is 503, not 500. */
export function isDependencyFailure(error: unknown): boolean {
  return failedDependency(error) !== null;
}
