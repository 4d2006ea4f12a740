import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import { GatewayError } from '../../../contracts/errors/index.js';
import { fsyncPath } from '../../../platform/fsyncPath.js';
import { writeFileAtomic } from '../../../platform/atomicWrite.js';
import { parseManifestBytes, type FwpkgManifest, type FwpkgPublicKey, type ImageSpan, type VerifiedPackage } from '../../../protocols/fwpkg/index.js';
import { verifyKeptPackage } from './keptImage.js';
import { loadTrustedKeys, type TrustedKeySet } from './trustedKeys.js';
import { verifyPackageFile } from './verifyPackageFile.js';

/** Default upload limit: a register's image is a few MiB; 64 MiB leaves room without inviting a disk filler. */
export const DEFAULT_PACKAGE_MAX_BYTES = 64 * 1024 * 1024;

/** A package id: the first 16 bytes of the SHA-256 of the .fwpkg file, hex (the same upload is the same package). */
export const PACKAGE_ID_PATTERN = /^[0-9a-f]{32}$/;

const PACKAGE_FILE = 'package.fwpkg';
const MANIFEST_FILE = 'manifest.json';
const RECORD_FILE = 'received.json';
const TEMPORARY_PREFIX = '.tmp-';

const receivedSchema = z.strictObject({
  receivedAt: z.string(),
  operator: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  keyId: z.string(),
});

/** One package the gateway holds, verified when it was received. */
export interface StoredPackage {
  readonly id: string;
  readonly manifest: FwpkgManifest;
  /** Size of the .fwpkg file. */
  readonly bytes: number;
  /** SHA-256 of the .fwpkg file. */
  readonly sha256: string;
  readonly receivedAt: string;
  readonly operator: string;
  /** The key that signed it. */
  readonly keyId: string;
  /** The .fwpkg on disk (for the upgrade job, which verifies it again before use). */
  readonly file: string;
}

export interface PackageStoreOptions {
  /** `<data-dir>/packages`. */
  readonly dir: string;
  /** The daemon's trusted-keys folder, read at each upload. */
  readonly trustedKeysDir: string;
  readonly maxBytes?: number;
  readonly logger: Logger;
  /** Keys trusted besides the folder's: the vendor repository's trusted root lists its package keys (protocols/fwrepo/SPEC.md §7). */
  readonly additionalKeys?: () => Promise<readonly FwpkgPublicKey[]>;
}

export interface ReceiveResult {
  readonly stored: StoredPackage;
  /** False when the same package was already held (nothing was written). */
  readonly created: boolean;
}

/**
 * Firmware packages under `<data-dir>/packages`, one folder per package: `package.fwpkg`, its signed
 * `manifest.json` and `received.json`. An upload is streamed to a `.tmp-` folder, verified there against the
 * trusted keys, and only then renamed into place; a refused or oversized upload leaves nothing behind.
 */
export class PackageStore {
  readonly maxBytes: number;

  constructor(private readonly options: PackageStoreOptions) {
    this.maxBytes = options.maxBytes ?? DEFAULT_PACKAGE_MAX_BYTES;
  }

  static forDataDir(dataDir: string, options: Omit<PackageStoreOptions, 'dir'>): PackageStore {
    return new PackageStore({ ...options, dir: join(dataDir, 'packages') });
  }

  get dir(): string {
    return this.options.dir;
  }

  async trustedKeys(): Promise<TrustedKeySet> {
    const set = await loadTrustedKeys(this.options.trustedKeysDir);
    const more = (await this.options.additionalKeys?.()) ?? [];
    return { ...set, keys: [...set.keys, ...more.filter((key) => !set.keys.some((k) => k.keyId === key.keyId))] };
  }

  /** Removes what an upload cut short by a crash left (`.tmp-` folders). */
  async cleanTemporary(): Promise<void> {
    const entries = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of entries.filter((n) => n.startsWith(TEMPORARY_PREFIX))) {
      await rm(join(this.dir, name), { recursive: true, force: true });
      this.options.logger.warn({ folder: name }, 'removed an unfinished package upload');
    }
  }

  /**
   * Receives one upload: streamed to disk (at most `maxBytes`, FWPKG_TOO_LARGE past it), verified against the
   * trusted keys (the protocol's refusal otherwise), kept under its id. Nothing stays on disk unless verified.
   */
  async receive(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, meta: { readonly operator: string }): Promise<ReceiveResult> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temporary = join(this.dir, `${TEMPORARY_PREFIX}${randomBytes(8).toString('hex')}`);
    await mkdir(temporary, { mode: 0o700 });
    try {
      const file = join(temporary, PACKAGE_FILE);
      const { bytes, sha256 } = await this.writeLimited(file, source);
      const trusted = await this.trustedKeys();
      if (trusted.skipped.length > 0) this.options.logger.warn({ skipped: trusted.skipped }, 'trusted-keys folder holds files that are not keys');
      const verified = await verifyPackageFile(file, trusted.keys);
      const id = sha256.slice(0, 32);
      const target = join(this.dir, id);
      if (await exists(target)) return { stored: await this.get(id), created: false };
      await writeFileAtomic(join(temporary, MANIFEST_FILE), verified.manifestBytes);
      const record: z.output<typeof receivedSchema> = { receivedAt: new Date().toISOString(), operator: meta.operator, bytes, sha256, keyId: verified.key.keyId };
      await writeFileAtomic(join(temporary, RECORD_FILE), `${JSON.stringify(record, null, 2)}\n`);
      try {
        await rename(temporary, target);
      } catch (error) {
        // The same package uploaded twice at once: the other upload kept it first.
        const code = (error as NodeJS.ErrnoException).code;
        if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await exists(target))) return { stored: await this.get(id), created: false };
        throw error;
      }
      await fsyncPath(this.dir);
      this.options.logger.info({ packageId: id, version: verified.manifest.version, models: verified.manifest.models, keyId: verified.key.keyId, operator: meta.operator }, 'firmware package received');
      return { stored: { id, manifest: verified.manifest, file: join(target, PACKAGE_FILE), ...record }, created: true };
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
  }

  private async writeLimited(file: string, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<{ bytes: number; sha256: string }> {
    const handle = await open(file, 'wx', 0o600);
    const hash = createHash('sha256');
    let bytes = 0;
    try {
      // Not `for await`: leaving it would destroy the source, and an HTTP client whose upload is cut that way
      // sees a reset instead of the 413. Past the limit the rest is left unread; the route closes the connection.
      const chunks: AsyncIterator<Uint8Array> | Iterator<Uint8Array> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
      for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
        bytes += next.value.length;
        if (bytes > this.maxBytes) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit: this.maxBytes } });
        hash.update(next.value);
        await handle.write(next.value);
      }
      await handle.sync();
    } catch (error) {
      if (error instanceof GatewayError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOSPC' || code === 'EACCES' || code === 'EROFS' || code === 'EDQUOT') {
        throw new GatewayError('FWPKG_STORE_FAILED', { params: { detail: (error as Error).message }, cause: error });
      }
      throw error;
    } finally {
      await handle.close();
    }
    return { bytes, sha256: hash.digest('hex') };
  }

  /** Every package held, newest first. A folder that cannot be read is skipped and logged. */
  async list(): Promise<StoredPackage[]> {
    const names = (await readdir(this.dir).catch(() => [] as string[])).filter((n) => PACKAGE_ID_PATTERN.test(n));
    const packages: StoredPackage[] = [];
    for (const id of names) {
      try {
        packages.push(await this.read(id));
      } catch (error) {
        this.options.logger.warn({ packageId: id, err: error }, 'package folder unreadable; left out of the list');
      }
    }
    return packages.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<StoredPackage> {
    if (!PACKAGE_ID_PATTERN.test(id) || !(await exists(join(this.dir, id)))) throw new GatewayError('FWPKG_NOT_FOUND', { params: { packageId: id } });
    return this.read(id);
  }

  /**
   * A kept package verified again, now, against the trusted keys as they are now: what an upgrade must call
   * before it sends a byte (a key removed since the upload, or a file altered on disk, is refused here). Read in
   * place (verifyKeptPackage: members found from the tar headers, the image measured through one reused buffer),
   * so it leaves no package-sized garbage; `imageSpan` is where the measured image lies in the file.
   */
  async verifiedForUse(id: string): Promise<{ readonly stored: StoredPackage; readonly verified: VerifiedPackage; readonly imageSpan: ImageSpan }> {
    const stored = await this.get(id);
    const trusted = await this.trustedKeys();
    const { imageSpan, ...verified } = await verifyKeptPackage(stored.file, trusted.keys);
    return { stored, verified, imageSpan };
  }

  async remove(id: string): Promise<StoredPackage> {
    const stored = await this.get(id);
    await rm(join(this.dir, id), { recursive: true, force: true });
    await fsyncPath(this.dir);
    this.options.logger.info({ packageId: id }, 'firmware package removed');
    return stored;
  }

  private async read(id: string): Promise<StoredPackage> {
    const folder = join(this.dir, id);
    const manifest = parseManifestBytes(new Uint8Array(await readFile(join(folder, MANIFEST_FILE))));
    const record = receivedSchema.parse(JSON.parse(await readFile(join(folder, RECORD_FILE), 'utf8')));
    return { id, manifest, file: join(folder, PACKAGE_FILE), ...record };
  }
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}
