import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parsePublicKeyPem, type FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';

export interface TrustedKeySet {
  readonly dir: string;
  readonly keys: readonly FwpkgPublicKey[];
  /** `.pub` files that are not a usable key: never trusted, reported so an operator can fix them. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
  /** The folder does not exist (then nothing is trusted). */
  readonly missing: boolean;
}

/**
 * The public keys of a trusted-keys folder: every `*.pub` file in it (protocols/fwpkg/SPEC.md §3), read
 * each time it is asked, so a key added or removed counts from the next package on without a restart.
 */
export async function loadTrustedKeys(dir: string): Promise<TrustedKeySet> {
  let names: string[];
  try {
    names = (await readdir(dir, { withFileTypes: true })).filter((e) => e.name.endsWith('.pub') && (e.isFile() || e.isSymbolicLink())).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { dir, keys: [], skipped: [], missing: true };
    throw error;
  }
  const keys = new Map<string, FwpkgPublicKey>();
  const skipped: { file: string; reason: string }[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const key = parsePublicKeyPem(await readFile(file, 'utf8'), file);
      keys.set(key.keyId, key);
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  return { dir, keys: [...keys.values()], skipped, missing: false };
}
