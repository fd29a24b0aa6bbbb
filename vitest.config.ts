import { defineConfig } from 'vitest/config';
import { TEST_SIM_CLOCK } from './test/support/simClock.ts';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/compiledBuild.setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Two cores: keep parallelism modest so real-TCP and Redis tests are not starved.
    maxWorkers: 2,
    pool: 'forks',
    // Every simulator (embedded in a runtime, or a spawned `tradewire sim`) runs at a fixed
    // in-session instant, not wall-clock time: CI may run on a weekend.
    env: { TRADEWIRE_SIM_CLOCK: TEST_SIM_CLOCK },
  },
});
