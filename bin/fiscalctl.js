#!/usr/bin/env node
import { freshCompiledEntry } from './compiledEntry.js';

// dist/bin/fiscalctl.js when `npm run build` made it from the current sources, else the TypeScript through tsx.
const compiled = freshCompiledEntry('fiscalctl');
if (compiled !== undefined) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./entries/fiscalctl.ts');
}
