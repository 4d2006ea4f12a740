import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fsyncPath, fsyncPathSync } from './fsyncPath.js';

export interface AtomicWriteOptions {
  /** Mode of the new file (default 0600); set on the open file, so the umask cannot widen it. */
  readonly mode?: number;
}

/**
 * A temporary name in the target's own folder (a rename never crosses a file system), unguessable,
 * so a leftover or a planted link of some name is never reused: the temp is opened 'wx' (O_EXCL,
 * never follows a link). A crash leaves `.<name>.<hex>.tmp`, never a half-written `<name>`.
 */
function temporaryFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/**
 * The one way this project replaces a file: write a temporary file in the same folder, fsync it,
 * rename it over `path`, fsync the folder. Readers see the old file or the new one, whole, and after
 * it resolves the new one survives a power cut. `data` may be a stream of chunks (archives, copies).
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array | AsyncIterable<Uint8Array>, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const temp = temporaryFor(path);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.chmod(mode);
    if (typeof data === 'string' || data instanceof Uint8Array) await handle.writeFile(data);
    else for await (const chunk of data) await handle.write(chunk);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  await fsyncPath(dirname(path));
}

/** writeFileAtomic for the few callers that must stay synchronous (state saved inside a command handler). */
export function writeFileAtomicSync(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const mode = options.mode ?? 0o600;
  const temp = temporaryFor(path);
  const fd = openSync(temp, 'wx', mode);
  try {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  try {
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncPathSync(dirname(path));
}
