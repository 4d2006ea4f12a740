import { join, resolve } from 'node:path';
import { compileEntryPoints } from '../../scripts/compileEntryPoints.js';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * The entry points the process tests start, compiled once per test run the way `npm run build` compiles the bins
 * (scripts/compileEntryPoints.ts): fiscald's and fiscalctl's programs (bin/entries, what bin/fiscald.js and
 * bin/fiscalctl.js run), the register simulator's `fixtures/simulator/serve.ts` and the kill-during-backup test's
 * child. Through tsx every start transforms and resolves several hundred TypeScript modules again (fiscalctl about
 * 1.2 s of CPU, fiscald 2 s more than the same code compiled); the suite starts them some hundred times.
 */
export const testEntryPoints = {
  fiscald: join(root, 'bin', 'entries', 'fiscald.ts'),
  fiscalctl: join(root, 'bin', 'entries', 'fiscalctl.ts'),
  'simulator-serve': join(root, 'fixtures', 'simulator', 'serve.ts'),
  'backup-child': join(root, 'test', 'integration', 'backup', 'backupChild.ts'),
} as const;

export type TestEntryPoint = keyof typeof testEntryPoints;

/** Compiles the entry points into `outdir` (inside the project); resolves with each one's file. */
export async function buildTestBinaries(outdir: string): Promise<Record<TestEntryPoint, string>> {
  await compileEntryPoints(testEntryPoints, outdir, root);
  const files = {} as Record<TestEntryPoint, string>;
  for (const name of Object.keys(testEntryPoints) as TestEntryPoint[]) files[name] = join(outdir, `${name}.js`);
  return files;
}
