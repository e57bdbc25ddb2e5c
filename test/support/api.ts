import { pino, type Logger } from 'pino';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../app/config.ts';
import { connect, type Connected } from '../../app/connect.ts';
import { startApi, type RunningApi } from '../../app/server.ts';
import { createTestDatabase, uniqueName, type TestDatabase } from './database.ts';
import { acquireTestRedis, deleteRedisKeys, redisKeys, releaseTestRedis } from './redis-mode.ts';
import { createTestBucket, localS3Client } from './s3.ts';

export const testSessionKey = 'test-session-key-0123456789abcdef0123456789';
export const organizer = { email: 'organizer@test.local', password: 'organizer-password-1' };

/**
 * Environment of a test instance: fast password hashing, no rate limits unless a test sets them.
 * `redis` is this run's Redis (test/support/redis-mode.ts): the shared one, or the test file's cluster.
 */
export function testEnv(database: TestDatabase, keyPrefix: string, bucket: string, overrides: Record<string, string> = {}, redis: Record<string, string> = {}) {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...redis,
    REDIS_KEY_PREFIX: keyPrefix,
    SESSION_KEYS: testSessionKey,
    S3_ENDPOINT: inject('s3Endpoint'),
    S3_BUCKET: bucket,
    PASSWORD_HASH_COST: '10',
    HOLD_RATE_LIMIT_PER_USER: '0',
    HOLD_RATE_LIMIT_PER_IP: '0',
    LOGIN_RATE_LIMIT_PER_IP: '0',
    REGISTER_RATE_LIMIT_PER_IP: '0',
    LOGIN_THROTTLE_FAILURES: '0',
    // Hash slots as usual, but a queue long enough that no test's logins are refused for being many at once.
    PASSWORD_HASH_QUEUE: '100000',
    ADMIN_EMAIL: organizer.email,
    ADMIN_PASSWORD: organizer.password,
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

export interface TestPlatform {
  database: TestDatabase;
  keyPrefix: string;
  bucket: string;
  env: Record<string, string>;
  /** Starts one more API instance in this process, on the same database, Redis prefix and bucket. */
  startInstance(overrides?: Record<string, string>, options?: { logger?: Logger }): Promise<TestInstance>;
  /** Deletes every Redis key of this platform: what a Redis restart or FLUSHALL does to it. */
  forgetRedis(): Promise<void>;
  stop(): Promise<void>;
}

export interface TestInstance {
  url: string;
  deps: Connected;
  config: Config;
  api: RunningApi;
}

/**
 * A database, a Redis key prefix and a bucket of the test's own, and API instances on them. The database
 * is on the shared test server, or on `databaseServerUrl` (a server the test started, e.g. a primary with a replica).
 */
export async function createTestPlatform(overrides: Record<string, string> = {}, options: { databaseServerUrl?: string } = {}): Promise<TestPlatform> {
  const database = await createTestDatabase('tk_test', options.databaseServerUrl);
  const keyPrefix = `${uniqueName('t')}:`;
  const bucket = await createTestBucket(localS3Client());
  // A test that brings its own Redis (REDIS_URL) does not need the run's.
  const ownRedis = Boolean(overrides.REDIS_URL);
  const env = testEnv(database, keyPrefix, bucket, overrides, ownRedis ? {} : await acquireTestRedis());
  const instances: TestInstance[] = [];
  const platform: TestPlatform = {
    database,
    keyPrefix,
    bucket,
    env,
    async startInstance(more = {}, options = {}) {
      const config = loadConfig({ ...env, ...more });
      const deps = connect(config, options.logger ?? pino({ level: 'silent' }));
      const api = await startApi(deps, { port: 0, host: '127.0.0.1' });
      await api.ready;
      const instance = { url: api.url, deps, config, api };
      instances.push(instance);
      return instance;
    },
    async forgetRedis() {
      const { redis } = instances[0]!.deps;
      await deleteRedisKeys(redis, await redisKeys(redis, `${keyPrefix}*`));
    },
    async stop() {
      await Promise.all(instances.map((instance) => instance.api.stop()));
      await Promise.all([database.drop(), ownRedis ? undefined : releaseTestRedis()]);
    },
  };
  return platform;
}
