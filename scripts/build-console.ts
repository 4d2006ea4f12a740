import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the web console (src/api/console/app, plain TypeScript and DOM, no framework) into the two assets fiscald
 * serves: dist/app.js (one ES module, minified, no source map) and dist/app.css. The built files are committed, so
 * fiscald needs no build at run time; test/unit/console/consoleBuild.test.ts fails when they are stale.
 * Run: node bin/run-ts.js scripts/build-console.ts (npm run build:console).
 */
const app = fileURLToPath(new URL('../src/api/console/app/', import.meta.url));
const dist = fileURLToPath(new URL('../src/api/console/dist/', import.meta.url));

export async function buildConsole(): Promise<{ js: string; css: string }> {
  const result = await build({
    entryPoints: [`${app}main.ts`], bundle: true, format: 'esm', target: 'es2022', minify: true, write: false,
    legalComments: 'none', charset: 'utf8', logLevel: 'silent',
  });
  return { js: result.outputFiles[0]!.text, css: readFileSync(`${app}app.css`, 'utf8') };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { js, css } = await buildConsole();
  writeFileSync(`${dist}app.js`, js);
  writeFileSync(`${dist}app.css`, css);
  console.log(`console built: app.js ${js.length} bytes, app.css ${css.length} bytes`);
}
