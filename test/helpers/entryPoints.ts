import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..', '..');

/** Names the folder where test/support/globalSetup.ts compiled the entry points for this run. */
export const TEST_BINARIES_ENV = 'FISCAL_GATEWAY_TEST_BINARIES';

const sources = {
  fiscald: [join(root, 'bin', 'fiscald.js')],
  fiscalctl: [join(root, 'bin', 'fiscalctl.js')],
  'simulator-serve': [join(root, 'bin', 'run-ts.js'), join(root, 'fixtures', 'simulator', 'serve.ts')],
  'backup-child': [join(root, 'bin', 'run-ts.js'), join(root, 'test', 'integration', 'backup', 'backupChild.ts')],
} as const;

export type EntryPoint = keyof typeof sources;

/**
 * The arguments after `node` that start an entry point: the run's compiled copy when the test run made
 * one (the same code without tsx's per-start transform), else the source through tsx (a script, or a
 * test run without the global setup). `source: true` always takes the installed bin, for tests about
 * the real binaries (signals, exit codes).
 */
export function entryPoint(name: EntryPoint, options: { source?: boolean } = {}): string[] {
  const compiledDir = process.env[TEST_BINARIES_ENV];
  if (options.source !== true && compiledDir !== undefined) {
    const compiled = join(compiledDir, `${name}.js`);
    if (existsSync(compiled)) return [compiled];
  }
  return [...sources[name]];
}
