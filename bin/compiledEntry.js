// Which file bin/fiscald.js and bin/fiscalctl.js run: the copy `npm run build` compiled into dist/bin when it is
// there and no source it was built from changed since (a developer who edits src never runs stale code), else none
// (the bins then run the TypeScript through tsx). Plain JavaScript: it runs before anything can load TypeScript.
import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export const root = resolve(import.meta.dirname, '..');
export const STAMP = 'build-stamp.json';

/**
 * The compiled `name` in `distDir` as a file URL, or undefined when it is missing or stale. The stamp lists every
 * source file of the build and when the build started: one changed (or removed) since then makes the build stale.
 * One stat per source file, a few milliseconds.
 */
export function freshCompiledEntry(name, distDir = join(root, 'dist', 'bin'), projectRoot = root) {
  let stamp;
  try {
    stamp = JSON.parse(readFileSync(join(distDir, STAMP), 'utf8'));
    statSync(join(distDir, `${name}.js`));
  } catch {
    return undefined;
  }
  if (typeof stamp?.startedAtMs !== 'number' || !Array.isArray(stamp.inputs) || stamp.inputs.length === 0) return undefined;
  for (const input of stamp.inputs) {
    const stat = statSync(join(projectRoot, String(input)), { throwIfNoEntry: false });
    if (stat === undefined || stat.mtimeMs > stamp.startedAtMs) return undefined;
  }
  return pathToFileURL(join(distDir, `${name}.js`)).href;
}
