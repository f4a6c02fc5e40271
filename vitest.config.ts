import { defineConfig } from 'vitest/config';

// Integration tests start real processes; they run one file at a time per core to keep timings sane.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    reporters: ['default'],
  },
});
