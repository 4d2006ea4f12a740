import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // pcscd and its vpcd reader are one per machine: files that need them run one at a time (see test/helpers/pcscd.ts).
    fileParallelism: true,
  },
});
