import { readFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

/**
 * How fiscald, fiscalctl and the other entry points are compiled ahead of time (`npm run build`, the test run, the
 * campaign, the start-up bench): one ESM file per entry point plus shared chunks, dynamic imports kept dynamic (the
 * simulation is still loaded only when --simulate asks for it). Installed packages stay outside the bundle and load
 * from node_modules as in production, so `outdir` must lie inside the project. `import.meta.url`, `dirname` and
 * `filename` are written into each module as its source file's own, so files found relative to a module
 * (package.json, the console's assets, udev's list) are the same files.
 */

/** Each module keeps its own location: `import.meta.*` becomes the source file's URL, folder and path. */
const sourceLocations: Plugin = {
  name: 'source-locations',
  setup(bundle) {
    // bin/run-ts.js-style entry points register tsx for TypeScript; the bundle is already JavaScript.
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

/**
 * Compiles `entryPoints` (name → source file) into `outdir`; resolves with the source files the output was built
 * from, relative to `root` (the project's own files: installed packages are not compiled in).
 */
export async function compileEntryPoints(entryPoints: Record<string, string>, outdir: string, root: string): Promise<string[]> {
  const result = await build({
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [sourceLocations],
    metafile: true,
    logLevel: 'warning',
  });
  // esbuild names inputs relative to its working directory.
  return Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes(':'))
    .map((input) => relative(root, input.startsWith('/') ? input : `${process.cwd()}/${input}`))
    .sort();
}
