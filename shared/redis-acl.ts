// Plain data, no imports: the API's tests and the CDK's ElastiCache user read the same rules from here.
// constructs/ must not import app/, and app/ must not import aws-cdk-lib, so this lives in neither.

/**
 * Every command the API's Redis user may run, by who sends it. Anything else is refused (NOPERM) and
 * recorded in ACL LOG; test/app/redis-acl.test.ts runs every API flow as a user with exactly these rules.
 */
export const apiRedisCommands = {
  /**
   * ioredis on each connection: INFO for the ready check, SELECT when REDIS_URL names a database other
   * than 0; PING is the readiness probe. AUTH, HELLO (ioredis 6 speaks RESP3) and QUIT need no permission.
   */
  connection: ['info', 'select', 'ping'],
  /**
   * ioredis in cluster mode (REDIS_MODE=cluster): CLUSTER SLOTS for the slot map, CLUSTER INFO for its
   * ready check, ASKING during a slot migration, CLIENT SETNAME on the connection that reads the slot map
   * (it names itself; a connection's own name only). test/app/redis-acl.test.ts runs on a cluster too.
   */
  cluster: ['cluster|slots', 'cluster|info', 'asking', 'client|setname'],
  /** Lua scripts defined with defineCommand: EVALSHA, and EVAL when the script is not cached yet (NOSCRIPT). */
  scripts: ['evalsha', 'eval'],
  /**
   * Sessions, hold records, seat maps, loaded markers, login throttle resets; the waiting room's settings
   * (HMGET), its list of rooms (SADD, SMEMBERS) and its publisher's lease (SET NX, GET, PEXPIRE).
   */
  direct: ['get', 'set', 'del', 'exists', 'hgetall', 'hset', 'hmget', 'pexpire', 'sadd', 'smembers'],
  /**
   * What the Lua scripts call: holds, purchases, sold-seat loading, the login throttle, the waiting room's
   * queue and admissions (sorted sets), and
   * rate-limiter-flexible's counter (EXPIRE only when it finds a counter without a TTL).
   */
  insideScripts: [
    'time', 'exists', 'set', 'expire', 'pexpire', 'pttl', 'incrby',
    'hget', 'hmget', 'hset', 'hdel', 'hincrby',
    'zadd', 'zcard', 'zcount', 'zrange', 'zrem', 'zremrangebyscore', 'zscore',
  ],
} as const;

/**
 * The API user's ACL rules for keys under `keyPrefix` (REDIS_KEY_PREFIX, e.g. `tk:`): the form Redis'
 * `ACL SETUSER <name> reset >password <rules>` takes and ElastiCache's user AccessString takes as it is.
 * No pub/sub channels (Redis 7 grants none by default), no other keys, no other commands.
 */
export function apiAclRules(keyPrefix: string): string {
  if (!/^[A-Za-z0-9:_-]{1,32}$/.test(keyPrefix)) throw new Error(`apiAclRules: key prefix "${keyPrefix}" must match REDIS_KEY_PREFIX's pattern`);
  const commands = [...new Set(Object.values(apiRedisCommands).flat())].sort();
  return ['on', `~${keyPrefix}*`, '-@all', ...commands.map((command) => `+${command}`)].join(' ');
}
