// `npm run build` (also run by `prepare`, so `npm ci` builds it): fiscald and fiscalctl compiled ahead of time into
// dist/bin, with a stamp naming every source file and when the build started. bin/fiscald.js and bin/fiscalctl.js
// run the compiled copy only while no source is newer than the stamp (bin/compiledEntry.js), else tsx as before.
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { STAMP } from '../bin/compiledEntry.js';
import type { compileEntryPoints } from './compileEntryPoints.js';

const root = resolve(import.meta.dirname, '..');
const dist = join(root, 'dist', 'bin');

export const productionEntryPoints = {
  fiscald: join(root, 'bin', 'entries', 'fiscald.ts'),
  fiscalctl: join(root, 'bin', 'entries', 'fiscalctl.ts'),
};

/**
 * Compiles the bins into `outdir` (inside the project; dist/bin for the bins to find) through a staging folder, the
 * stamp written last: a build cut short leaves the old build or none, never a half one. Resolves with the stamp, or
 * undefined when esbuild is not installed.
 */
export async function buildBins(outdir: string): Promise<{ startedAtMs: number; inputs: string[] } | undefined> {
  let compile: typeof compileEntryPoints;
  try {
    ({ compileEntryPoints: compile } = await import('./compileEntryPoints.js'));
  } catch (error) {
    // An install without devDependencies has no esbuild: the bins then run through tsx, as before.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND' || !String(error).includes('esbuild')) throw error;
    return undefined;
  }
  const startedAtMs = Date.now();
  const staging = `${outdir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    const inputs = await compile(productionEntryPoints, staging, root);
    writeFileSync(join(staging, STAMP), `${JSON.stringify({ startedAtMs, inputs }, null, 1)}\n`);
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return { startedAtMs, inputs };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const stamp = await buildBins(dist);
  if (stamp === undefined) {
    console.warn('build: esbuild is not installed (no devDependencies); fiscald and fiscalctl will run through tsx');
    return;
  }
  console.log(`build: dist/bin/fiscald.js and fiscalctl.js from ${stamp.inputs.length} source files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
