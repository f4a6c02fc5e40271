import { defineConfig } from 'vitest/config';

// Integration tests start real processes; two files at a time on the 2-core CI machine.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    // The garbage-collection tests call gc().
    execArgv: ['--expose-gc'],
  },
});
