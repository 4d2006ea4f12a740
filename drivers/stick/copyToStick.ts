import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, mkdir, rm, stat, statfs } from 'node:fs/promises';
import { basename, dirname, join, normalize, sep } from 'node:path';
import { GatewayError } from '../../contracts/errors/index.js';
import { writeFileAtomic } from '../../platform/atomicWrite.js';
import { findRemovableVolumes, systemStickRoots, type RemovableVolume, type StickRoots } from './RemovableVolumes.js';

export interface CopyToStickOptions {
  /** Mount point of the stick to use; default: the first removable volume found. */
  readonly mountPoint?: string;
  readonly roots?: StickRoots;
  /** Free bytes on the volume; default statfs. */
  readonly freeSpace?: (mountPoint: string) => Promise<number>;
  /** Called once the copy is durable, before it is read back (progress, or fault injection in tests). */
  readonly onWritten?: (path: string) => Promise<void> | void;
  /** Told after each chunk (1 MiB) written and read back: a slow stick never leaves a job silent. */
  readonly onProgress?: (done: number, total: number, phase: 'write' | 'read-back') => void;
}

export interface StickCopy {
  readonly volume: RemovableVolume;
  /** Absolute path of the copy on the stick, and of its `sha256sum` sidecar. */
  readonly path: string;
  readonly checksumPath: string;
  readonly bytes: number;
  readonly sha256: string;
}

const SIDECAR_ALLOWANCE = 4096;

/** SHA-256 and length of a file, read through (on a stick, what the file system gives back now). */
export async function hashOf(path: string, onChunk?: (bytes: number) => void): Promise<{ bytes: number; sha256: string }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    onChunk?.(bytes);
  }
  return { bytes, sha256: hash.digest('hex') };
}

async function statfsFree(mountPoint: string): Promise<number> {
  const fsStat = await statfs(mountPoint);
  return Number(fsStat.bavail) * Number(fsStat.bsize);
}

function writeError(error: unknown, volume: RemovableVolume, needed: number, file: string): GatewayError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG') {
    return new GatewayError('STICK_FULL', { params: { mountPoint: volume.mountPoint, needed, free: 0 }, cause: error });
  }
  if (code === 'EROFS' || code === 'EACCES' || code === 'EPERM') {
    return new GatewayError('STICK_READ_ONLY', { params: { mountPoint: volume.mountPoint }, cause: error });
  }
  // Any other I/O error on a stick (EIO above all) means its bytes cannot be trusted.
  return new GatewayError('STICK_VERIFY_FAILED', { params: { file }, cause: error });
}

async function chooseVolume(options: CopyToStickOptions): Promise<RemovableVolume> {
  const volumes = await findRemovableVolumes(options.roots ?? systemStickRoots);
  const volume = options.mountPoint === undefined
    ? volumes.find((v) => !v.readOnly) ?? volumes[0]
    : volumes.find((v) => v.mountPoint === options.mountPoint);
  if (volume === undefined) throw new GatewayError('STICK_NOT_FOUND');
  if (volume.readOnly) throw new GatewayError('STICK_READ_ONLY', { params: { mountPoint: volume.mountPoint } });
  return volume;
}

/**
 * Creates the folders of `relativeFolder` under the mount point one by one, refusing a link or a file
 * on the way: a stick (ext4 can hold links) must not lead a write onto another disk.
 */
async function makeFoldersOnStick(mountPoint: string, relativeFolder: string, relativeTarget: string): Promise<void> {
  let folder = mountPoint;
  for (const part of relativeFolder.split(sep).filter((each) => each !== '' && each !== '.')) {
    folder = join(folder, part);
    const found = await lstat(folder).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw error;
    });
    if (found === undefined) await mkdir(folder);
    else if (!found.isDirectory()) {
      throw new GatewayError('BAD_REQUEST', { params: { detail: `target ${relativeTarget} passes through ${part}, which is not a folder on the stick` } });
    }
  }
}

/** The chunks of a source: a file read in 1 MiB chunks, or bytes held in memory. */
async function* chunksOf(source: string | Uint8Array): AsyncIterable<Uint8Array> {
  if (typeof source !== 'string') {
    for (let offset = 0; offset < source.length; offset += 1024 * 1024) yield source.subarray(offset, offset + 1024 * 1024);
    return;
  }
  for await (const chunk of createReadStream(source, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) yield chunk;
}

/**
 * The volume a copy of `size` bytes would go onto, checked as `copyToStick` checks it before writing: a removable
 * volume (`mountPoint`, else the first writable one), not read-only, with room for the file and its sidecar.
 * STICK_NOT_FOUND, STICK_READ_ONLY, STICK_FULL; nothing is written.
 */
export async function stickWithRoomFor(size: number, options: CopyToStickOptions = {}): Promise<RemovableVolume> {
  const volume = await chooseVolume(options);
  const needed = size + SIDECAR_ALLOWANCE;
  const free = await (options.freeSpace ?? statfsFree)(volume.mountPoint);
  if (free < needed) throw new GatewayError('STICK_FULL', { params: { mountPoint: volume.mountPoint, needed, free } });
  return volume;
}

/**
 * Copies a file (or bytes in memory) onto a removable volume at `relativeTarget` (e.g. `FISCAL/BACKUP/<machine>/<id>.tar`)
 * with a `.sha256` sidecar in `sha256sum` format: written under a temporary name, fsynced, renamed,
 * the folder fsynced, then read back and compared. What was read back may come from the page
 * cache, so the read-back proves the file system holds the right bytes, not the flash cells.
 */
export async function copyToStick(source: string | Uint8Array, relativeTarget: string, options: CopyToStickOptions = {}): Promise<StickCopy> {
  const clean = normalize(relativeTarget);
  if (clean.startsWith('..') || clean.startsWith(sep) || clean.split(sep).includes('..')) {
    throw new GatewayError('BAD_REQUEST', { params: { detail: `target ${relativeTarget} is not inside the stick` } });
  }
  const size = typeof source === 'string' ? (await stat(source)).size : source.length;
  const volume = await stickWithRoomFor(size, options);
  const needed = size + SIDECAR_ALLOWANCE;

  const target = join(volume.mountPoint, clean);
  const checksumPath = `${target}.sha256`;
  const written = createHash('sha256');
  let bytes = 0;
  try {
    await makeFoldersOnStick(volume.mountPoint, dirname(clean), relativeTarget);
    // platform/atomicWrite: a temp file opened wx under an unguessable name (a planted link is never followed), fsynced, renamed, the folder fsynced.
    await writeFileAtomic(target, (async function* () {
      for await (const chunk of chunksOf(source)) {
        written.update(chunk);
        bytes += chunk.length;
        yield chunk;
        options.onProgress?.(bytes, size, 'write');
      }
    })(), { mode: 0o644 });
    const sha256 = written.digest('hex');
    await writeFileAtomic(checksumPath, `${sha256}  ${basename(target)}\n`, { mode: 0o644 });
    await options.onWritten?.(target);
    const readBack = await hashOf(target, (done) => options.onProgress?.(done, bytes, 'read-back'));
    if (readBack.sha256 !== sha256 || readBack.bytes !== bytes) {
      await rm(target, { force: true });
      await rm(checksumPath, { force: true });
      throw new GatewayError('STICK_VERIFY_FAILED', { params: { file: clean } });
    }
    return { volume, path: target, checksumPath, bytes, sha256 };
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw writeError(error, volume, needed, clean);
  }
}
