import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Checks every answer of the API a test receives against the OpenAPI document.
    setupFiles: ['test/support/contract-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Test files run in parallel: each one owns its database name, Redis key prefix and bucket.
    pool: 'forks',
  },
});
