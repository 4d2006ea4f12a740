import { freshCompiledEntry } from '../bin/compiledEntry.js';

/** What bin/fiscald.js runs now: the copy `npm run build` compiled (when fresh) or the TypeScript through tsx. */
export function fiscaldBinUsed(): string {
  return freshCompiledEntry('fiscald') === undefined ? 'bin/fiscald.js through tsx (no fresh npm run build)' : 'bin/fiscald.js running dist/bin (npm run build)';
}
