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
    // The kit runs Node 20 on purpose: no 9-line AWS SDK NodeVersionSupportWarning (node >= 22) in every test file.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ?? 'true' },
  },
});
