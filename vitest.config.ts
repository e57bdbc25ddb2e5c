import { defineConfig } from 'vitest/config';

/**
 * The test files of everything the API keeps in Redis: they run once more against a local Redis Cluster
 * (test/support/redis-mode.ts), so the kit's cluster mode is proven by the same tests as its single Redis.
 */
const redisBound = [
  'test/app/holds.test.ts',
  'test/app/hold-fast-path.test.ts',
  'test/app/purchases.test.ts',
  'test/app/auth-and-sessions.test.ts',
  'test/app/session-and-orders.test.ts',
  'test/app/account-abuse.test.ts',
  'test/app/waiting-room.test.ts',
  'test/app/redis-acl.test.ts',
  'test/faults/redis-restarted.test.ts',
];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    // Checks every answer of the API a test receives against the OpenAPI document.
    setupFiles: ['test/support/contract-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files run in parallel: each one owns its database name, Redis key prefix and bucket.
    pool: 'forks',
    // The kit runs Node 20 on purpose: no 9-line AWS SDK NodeVersionSupportWarning (node >= 22) in every test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true' },
    projects: [
      { extends: true, test: { name: 'default', include: ['test/**/*.test.ts'] } },
      { extends: true, test: { name: 'redis-cluster', include: redisBound, env: { TEST_REDIS_MODE: 'cluster' } } },
    ],
  },
});
