import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildTestBinaries } from './buildTestBinaries.js';
import { TEST_BINARIES_ENV } from '../helpers/entryPoints.js';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * Compiles fiscald, fiscalctl and the simulator's serve.ts once for this run (test/support/buildTestBinaries.ts)
 * into a folder of its own, named to the workers through the environment, and removes it at the end.
 * A run of its own folder: other test runs in the same checkout keep theirs.
 * FISCAL_GATEWAY_TEST_SOURCE_BINS=1 skips it: the tests then start the bins through tsx (TypeScript lines in stack traces).
 */
export default async function setup(): Promise<() => void> {
  if (process.env.FISCAL_GATEWAY_TEST_SOURCE_BINS === '1') return () => undefined;
  const cache = join(root, 'node_modules', '.cache', 'fiscal-gateway-tests');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, 'bin-'));
  try {
    await buildTestBinaries(outdir);
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true });
    throw error;
  }
  process.env[TEST_BINARIES_ENV] = outdir;
  return () => {
    delete process.env[TEST_BINARIES_ENV];
    rmSync(outdir, { recursive: true, force: true });
  };
}
