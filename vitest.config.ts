import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Starts a throw-away PostgreSQL (unless TEST_DATABASE_URL is set); see the file header.
    globalSetup: ['test/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // The CI machine has 2 cores; browser tests (test/e2e/*.test.ts) run in the same `vitest run`.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
