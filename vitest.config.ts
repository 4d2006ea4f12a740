import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Two groups, one after the other (`sequence.groupOrder`):
 *
 * 1. `unit`: in-process tests, on every core, several files per worker process (`isolate: false`).
 *    They mock no module, fake no timer and set no environment variable, so sharing a process is
 *    safe, and it saves the fork and the TypeScript imports that a fresh process per file pays
 *    (about 1.5 s a file, twice the unit tests' own run time on CI's two cores).
 * 2. `processes`: integration and end-to-end files that start fiscald, the simulator, socat or pcscd
 *    as real processes. Each gets a fresh worker, and at most two run at once whatever the core
 *    count, so the processes they start have a core to answer on. pcscd is one per machine: files that
 *    need it also take the lock in test/helpers/pcscd.ts.
 *
 * Vitest's default worker count is cores - 1, which is one worker, i.e. every file in a row, on CI.
 *
 * The processes group's global setup compiles fiscald, fiscalctl and the simulator's serve.ts once for
 * the run (test/support/buildTestBinaries.ts); the helpers start those instead of the bins through tsx.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/SummaryLineReporter.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Removes the temporary folders a test file made through test/helpers/temporaryDirectories.ts when it ends.
    setupFiles: ['./test/support/removeTemporaryDirectories.ts'],
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          isolate: false,
          maxWorkers: Math.max(2, availableParallelism()),
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'processes',
          include: ['test/integration/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          isolate: true,
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
          globalSetup: ['./test/support/globalSetup.ts'],
        },
      },
    ],
  },
});
