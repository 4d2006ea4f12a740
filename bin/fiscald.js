#!/usr/bin/env node
import { freshCompiledEntry } from './compiledEntry.js';

// dist/bin/fiscald.js when `npm run build` made it from the current sources, else the TypeScript through tsx.
const compiled = freshCompiledEntry('fiscald');
if (compiled !== undefined) {
  await import(compiled);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./entries/fiscald.ts');
}
