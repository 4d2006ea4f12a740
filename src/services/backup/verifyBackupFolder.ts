import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CHECKSUMS_FILE, MANIFEST_FILE, MANIFEST_HASH_FILE } from './BackupManifest.js';
import { judgeBackup, type ObservedFile, type VerifyReport } from './judgeBackup.js';

export async function hashFile(path: string): Promise<ObservedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Everything in the folder (files at the top and in `cards/`), re-hashed from disk; anything else is reported as unlisted. */
async function observe(dir: string): Promise<Map<string, ObservedFile>> {
  const observed = new Map<string, ObservedFile>();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(dir, relative), { withFileTypes: true })) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isFile()) observed.set(path, await hashFile(join(dir, path)));
      else if (entry.isDirectory() && relative === '' && entry.name === 'cards') await walk('cards');
      else observed.set(path, { bytes: -1, sha256: '' });
    }
  };
  await walk('');
  return observed;
}

/** Re-hashes every file of a backup folder and judges it against its manifest. */
export async function verifyBackupFolder(dir: string, expectedId?: string): Promise<VerifyReport> {
  const [observed, manifest, manifestHash, checksums] = await Promise.all([
    observe(dir),
    readIfPresent(join(dir, MANIFEST_FILE)),
    readIfPresent(join(dir, MANIFEST_HASH_FILE)),
    readIfPresent(join(dir, CHECKSUMS_FILE)),
  ]);
  return judgeBackup(observed, {
    manifest: manifest === undefined ? undefined : new Uint8Array(manifest),
    manifestHash: manifestHash?.toString('utf8'),
    checksums: checksums?.toString('utf8'),
  }, expectedId);
}
