import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GatewayError } from '../../../contracts/errors/index.js';
import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import { BackupManifestSchema, CHECKSUMS_FILE, MANIFEST_FILE, MANIFEST_HASH_FILE } from './BackupManifest.js';
import { BACKUP_FOLDER } from './backupLayout.js';
import { judgeBackup, type ObservedFile, type VerifyReport } from './judgeBackup.js';
import { readTar } from '../../../protocols/codec/tar/readTar.js';
import { tarStream, type TarSource } from '../../../protocols/codec/tar/tarStream.js';

/**
 * A backup as one ustar archive: `<folder>/manifest.json`, `manifest.sha256`, `SHA256SUMS`, then
 * every data file. Deterministic (mtime = the backup's completion time, uid/gid 0), so the same
 * backup always gives the same archive bytes. `tar -xf X.tar && cd <folder> && sha256sum -c SHA256SUMS`
 * checks it without this software.
 */
export async function backupArchiveSources(dir: string): Promise<TarSource[]> {
  const manifest = BackupManifestSchema.parse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
  const top = basename(dir);
  const mtime = Math.floor(Date.parse(manifest.completedAt) / 1000);
  const file = async (path: string): Promise<TarSource> => {
    const full = join(dir, path);
    const handle = await open(full, 'r');
    const size = (await handle.stat()).size;
    await handle.close();
    return {
      header: { name: `${top}/${path}`, type: 'file', size, mode: 0o644, mtime },
      content: () => createReadStream(full, { highWaterMark: 256 * 1024 }),
    };
  };
  const sources: TarSource[] = [{ header: { name: top, type: 'directory', size: 0, mode: 0o755, mtime } }];
  for (const path of [MANIFEST_FILE, MANIFEST_HASH_FILE, CHECKSUMS_FILE]) sources.push(await file(path));
  let cardsDir = false;
  for (const entry of manifest.files) {
    if (entry.path.startsWith('cards/') && !cardsDir) {
      sources.push({ header: { name: `${top}/cards`, type: 'directory', size: 0, mode: 0o755, mtime } });
      cardsDir = true;
    }
    sources.push(await file(entry.path));
  }
  return sources;
}

export async function* backupArchiveStream(dir: string): AsyncGenerator<Uint8Array> {
  yield* tarStream(await backupArchiveSources(dir), (name) => new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: `${name} changed size while being archived` } }));
}

/** Writes the archive of a backup folder to `outPath` (platform/atomicWrite: temp, fsync, rename, fsync folder); resolves with its size and SHA-256. */
export async function writeBackupArchive(dir: string, outPath: string): Promise<{ path: string; bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  async function* counted(): AsyncGenerator<Uint8Array> {
    for await (const chunk of backupArchiveStream(dir)) {
      hash.update(chunk);
      bytes += chunk.length;
      yield chunk;
    }
  }
  await writeFileAtomic(outPath, counted(), { mode: 0o644 });
  return { path: outPath, bytes, sha256: hash.digest('hex') };
}

export interface ArchiveVerifyReport extends VerifyReport {
  /** The backup folder name inside the archive. */
  readonly folder?: string;
}

const CONTROL = new Set([MANIFEST_FILE, MANIFEST_HASH_FILE, CHECKSUMS_FILE]);
const MAX_CONTROL_BYTES = 64 * 1024 * 1024;

/**
 * Checks an archive made by `writeBackupArchive` (or by plain `tar` from a backup folder): one top
 * folder named like a backup, only plain files and directories, and every file judged against the
 * manifest exactly as `verifyBackupFolder` would. Damage to the tar structure itself throws
 * BACKUP_ARCHIVE_INVALID; damage to a file inside is reported as a failure naming the file.
 */
export async function verifyBackupArchive(source: string | AsyncIterable<Uint8Array>): Promise<ArchiveVerifyReport> {
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: 256 * 1024 }) : source;
  const observed = new Map<string, ObservedFile>();
  const control = new Map<string, Uint8Array[]>();
  let top: string | undefined;
  const invalid = (detail: string) => new GatewayError('BACKUP_ARCHIVE_INVALID', { params: { detail } });

  await readTar(stream as AsyncIterable<Uint8Array>, (header) => {
    const parts = header.name.split('/');
    if (parts.some((part) => part === '' || part === '.' || part === '..') || header.name.startsWith('/')) {
      throw invalid(`unsafe entry name ${header.name}`);
    }
    top ??= parts[0];
    if (parts[0] !== top) throw invalid(`entries outside the backup folder: ${header.name}`);
    if (header.type === 'directory') return undefined;
    const path = parts.slice(1).join('/');
    if (path === '' || observed.has(path)) throw invalid(`duplicate or misplaced entry ${header.name}`);
    const hash = createHash('sha256');
    const keep: Uint8Array[] | undefined = CONTROL.has(path) && header.size <= MAX_CONTROL_BYTES ? [] : undefined;
    if (keep !== undefined) control.set(path, keep);
    let bytes = 0;
    observed.set(path, { bytes: header.size, sha256: '' });
    return (chunk) => {
      hash.update(chunk);
      keep?.push(Uint8Array.from(chunk));
      bytes += chunk.length;
      if (bytes === header.size) observed.set(path, { bytes, sha256: hash.digest('hex') });
    };
  }, invalid);
  for (const [path, file] of observed) {
    if (file.sha256 === '') observed.set(path, { bytes: file.bytes, sha256: createHash('sha256').digest('hex') });
  }
  if (top === undefined || !BACKUP_FOLDER.test(top)) throw invalid(`top folder ${top ?? '(none)'} is not a backup folder`);
  const text = (path: string) => {
    const chunks = control.get(path);
    return chunks === undefined ? undefined : Buffer.concat(chunks);
  };
  const report = judgeBackup(observed, {
    manifest: text(MANIFEST_FILE),
    manifestHash: text(MANIFEST_HASH_FILE)?.toString('utf8'),
    checksums: text(CHECKSUMS_FILE)?.toString('utf8'),
  }, BACKUP_FOLDER.exec(top)?.[2]);
  return { ...report, folder: top };
}
