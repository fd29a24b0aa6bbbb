import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/compiledBuild.setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: keep parallelism modest so real-TCP and Redis tests are not starved.
    maxWorkers: 2,
    pool: 'forks',
  },
});
