import { readFile } from 'node:fs/promises';
import { basename, join, normalize, sep } from 'node:path';
import { hashOf } from './copyToStick.js';
import { findRemovableVolumes, systemStickRoots, type RemovableVolume, type StickRoots } from './RemovableVolumes.js';

export type StickCopyCheck =
  /** The file and its `.sha256` sidecar are there, and the file reads back with the expected digest. */
  | { readonly state: 'verified'; readonly volume: RemovableVolume; readonly path: string; readonly bytes: number }
  /** A copy is there but it, or its sidecar, does not match (or cannot be read): it must not be handed on. */
  | { readonly state: 'damaged'; readonly volume: RemovableVolume; readonly path: string; readonly why: string }
  /** No mounted removable volume holds the file (no stick in the gateway, or another one). */
  | { readonly state: 'absent' };

/**
 * Looks for an earlier copy (`copyToStick`) at `relativeTarget` on every mounted removable volume and reads it
 * back against `sha256` and its `sha256sum` sidecar: what a resumed job checks before it trusts a copy it made
 * before a restart, and before it would make it again.
 */
export async function checkStickCopy(relativeTarget: string, sha256: string, roots: StickRoots = systemStickRoots): Promise<StickCopyCheck> {
  const clean = normalize(relativeTarget);
  if (clean.startsWith('..') || clean.startsWith(sep)) return { state: 'absent' };
  let damaged: StickCopyCheck | undefined;
  for (const volume of await findRemovableVolumes(roots)) {
    const path = join(volume.mountPoint, clean);
    let read: { bytes: number; sha256: string };
    try {
      read = await hashOf(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      damaged ??= { state: 'damaged', volume, path, why: `cannot be read: ${(error as Error).message}` };
      continue;
    }
    const sidecar = await readFile(`${path}.sha256`, 'utf8').catch(() => '');
    if (read.sha256 !== sha256) {
      damaged ??= { state: 'damaged', volume, path, why: 'its digest differs' };
    } else if (sidecar !== `${sha256}  ${basename(path)}\n`) {
      damaged ??= { state: 'damaged', volume, path, why: 'its .sha256 sidecar is missing or differs' };
    } else {
      return { state: 'verified', volume, path, bytes: read.bytes };
    }
  }
  return damaged ?? { state: 'absent' };
}
