// Runs every benchmark script in this folder (each exports `main(): Promise<void>`), one after another,
// or only those whose file name contains one of the words given on the command line.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filters = process.argv.slice(2);
const scripts = readdirSync(here)
  .filter((name) => name.endsWith('.ts') && name !== 'all.ts')
  .filter((name) => filters.length === 0 || filters.some((word) => name.includes(word)))
  .sort();

let failed = 0;
for (const name of scripts) {
  console.log(`\n== ${name}`);
  const module = (await import(pathToFileURL(join(here, name)).href)) as { main?: () => Promise<void> };
  if (typeof module.main !== 'function') {
    console.log(`   ${name} exports no main(); skipped`);
    continue;
  }
  try {
    await module.main();
  } catch (error) {
    failed += 1;
    console.error(`   ${name} failed:`, error);
  }
}
process.exit(failed === 0 ? 0 : 1);
