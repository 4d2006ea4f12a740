import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..', '..');

/**
 * The entry points the process tests start, compiled once per test run: `bin/fiscald.js` and
 * `bin/fiscalctl.js` themselves (their tsx registration left out), the register simulator's
 * `fixtures/simulator/serve.ts` and the kill-during-backup test's child. Through tsx every start transforms and resolves several hundred
 * TypeScript modules again (fiscalctl about 1.2 s of CPU, fiscald 2 s more than the same code
 * compiled); the suite starts them some hundred times.
 *
 * The code is the same: one ESM file per entry point plus shared chunks, the dynamic imports kept
 * dynamic (the simulation is still loaded only when --simulate asks for it). Installed packages stay
 * outside the bundle and load from node_modules as in production, so the output must lie inside the
 * project. `import.meta.url`, `dirname` and `filename` are written into each module as its source
 * file's own, so files found relative to a module (package.json, the console's assets, udev's list)
 * are the same files.
 */
export const testEntryPoints = {
  fiscald: join(root, 'bin', 'fiscald.js'),
  fiscalctl: join(root, 'bin', 'fiscalctl.js'),
  'simulator-serve': join(root, 'fixtures', 'simulator', 'serve.ts'),
  'backup-child': join(root, 'test', 'integration', 'backup', 'backupChild.ts'),
} as const;

export type TestEntryPoint = keyof typeof testEntryPoints;

/** Each module keeps its own location: `import.meta.*` becomes the source file's URL, folder and path. */
const sourceLocations: Plugin = {
  name: 'source-locations',
  setup(bundle) {
    // The bins register tsx for TypeScript; the bundle is already JavaScript.
    bundle.onResolve({ filter: /^tsx\/esm\/api$/ }, () => ({ path: 'tsx-register', namespace: 'compiled' }));
    bundle.onLoad({ filter: /.*/, namespace: 'compiled' }, () => ({ contents: 'export function register() {}', loader: 'js' }));
    bundle.onLoad({ filter: /\.[cm]?[jt]s$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('import.meta.')) return undefined;
      const contents = source
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
        .replaceAll('import.meta.filename', JSON.stringify(args.path));
      return { contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js' };
    });
  },
};

/** Compiles the entry points into `outdir` (inside the project); resolves with each one's file. */
export async function buildTestBinaries(outdir: string): Promise<Record<TestEntryPoint, string>> {
  await build({
    entryPoints: testEntryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [sourceLocations],
    logLevel: 'warning',
  });
  const files = {} as Record<TestEntryPoint, string>;
  for (const name of Object.keys(testEntryPoints) as TestEntryPoint[]) files[name] = join(outdir, `${name}.js`);
  return files;
}
