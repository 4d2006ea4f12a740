import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// One list per worker process, even when a test file re-imports modules (vi.resetModules) and gets its own copy of this one.
const made: Set<string> = ((globalThis as { [key: symbol]: Set<string> | undefined })[Symbol.for('fiscal-gateway.temporaryDirectories')] ??= new Set<string>());

/**
 * A new folder under the system's temporary folder, named `prefix` + six random characters, removed
 * when the test file that made it ends (test/support/removeTemporaryDirectories.ts, a setup file of
 * every project). Outside vitest nothing removes it.
 */
export function temporaryDirectory(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every folder `temporaryDirectory` made so far (and only those). */
export function removeTemporaryDirectories(): void {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
  made.clear();
}
