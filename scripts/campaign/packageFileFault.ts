// A kept package whose file changes on disk while the daemon writes its image to a register: fiscald reads the
// image block by block from the kept file (src/services/packages/keptImage.ts) instead of holding it, so the file
// may be deleted (DELETE /v1/packages/{id}), cut short or rewritten in the middle of a write. The job must then
// fail with the old firmware still running (FWPKG_NOT_FOUND, FWPKG_SIZE_MISMATCH, or the register's digest of
// what it received refusing the changed image), never activate.
import { closeSync, openSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Rng } from '../../fixtures/simulator/Rng.js';
import { buildFwpkg, findFwpkgSpans, parseFirmwareVersion, parseManifestBytes, parsePrivateKeyPem, type FwpkgPrivateKey } from '../../protocols/fwpkg/index.js';
import { keptImage } from '../../src/services/packages/keptImage.js';
import type { PackageForUse } from '../../src/services/upgrade/UpgradePackages.js';

export const packageFileChanges = ['deleted', 'truncated', 'rewritten', 'replaced'] as const;
export type PackageFileChange = (typeof packageFileChanges)[number];

/** How each change must end the job (the old firmware running). */
export const expectedPackageFileCodes: Record<PackageFileChange, readonly string[]> = {
  deleted: ['FWPKG_NOT_FOUND'],
  truncated: ['FWPKG_SIZE_MISMATCH'],
  rewritten: ['UPGRADE_IMAGE_DIGEST_MISMATCH'],
  replaced: ['UPGRADE_IMAGE_DIGEST_MISMATCH', 'FWPKG_SIZE_MISMATCH'],
};

/** Image bytes the writer may have read before the change: the first block (at most 4096, writeImage's first) and the one it reads ahead. */
export const READ_BEFORE_CHANGE = 8192;

let signingKey: FwpkgPrivateKey | undefined;
const key = () => (signingKey ??= parsePrivateKeyPem(readFileSync(resolve(import.meta.dirname, '..', '..', 'fixtures', 'packages', 'vector-sm2.key'), 'utf8')));

async function built(image: Uint8Array, version: string, model: string): Promise<Uint8Array> {
  const v = parseFirmwareVersion(version);
  const lowest = parseFirmwareVersion('1.0.0');
  const pkg = await buildFwpkg({
    image, key: key(), vendor: 'Sim', models: [model], version: v, versionLowest: lowest, bootloaderLowest: lowest, paths: ['serial'],
    releaseNotes: '', createdAt: new Date('2026-12-01T00:00:00Z'),
  });
  return pkg.bytes;
}

export interface PackageFileFault {
  /** The package as the daemon's packages area gives it: its image a reader of the kept file. */
  readonly pkg: PackageForUse;
  readonly change: PackageFileChange;
  /** Makes the change (synchronously: the writer's next read sees it); returns what was done. */
  apply(): string;
}

/**
 * A signed package of an image of `size` random bytes kept as a file in `dir`, and the change `apply` makes:
 * every change reaches image bytes past READ_BEFORE_CHANGE, so at least one read after it sees the change.
 */
export async function armPackageFileFault(dir: string, rng: Rng, packageId: string, version: string, size: number, model: string): Promise<PackageFileFault> {
  const image = rng.bytes(size);
  const bytes = await built(image, version, model);
  const file = join(dir, `${packageId}.fwpkg`);
  writeFileSync(file, bytes);
  const spans = await findFwpkgSpans((offset, length) => Promise.resolve(bytes.subarray(offset, offset + length)), bytes.length);
  const manifest = parseManifestBytes(bytes.subarray(spans.manifest.offset, spans.manifest.offset + spans.manifest.size));
  const change = rng.pick(packageFileChanges);
  // A second package of the same version and size, other bytes: put in the first one's place by a rename.
  const other = change === 'replaced' ? await built(rng.bytes(size), version, model) : undefined;
  const apply = (): string => {
    switch (change) {
      case 'deleted':
        unlinkSync(file);
        return 'deleted';
      case 'truncated': {
        const at = spans.image.offset + rng.int(0, size - 1);
        truncateSync(file, at);
        return `truncated to ${at} of ${bytes.length} bytes`;
      }
      case 'rewritten': {
        const at = spans.image.offset + rng.int(READ_BEFORE_CHANGE, size - 1);
        const fd = openSync(file, 'r+');
        try {
          writeSync(fd, Uint8Array.of(bytes[at]! ^ 0xff), 0, 1, at);
        } finally {
          closeSync(fd);
        }
        return `byte ${at - spans.image.offset} of the image rewritten in place`;
      }
      case 'replaced':
        writeFileSync(`${file}.new`, other!);
        renameSync(`${file}.new`, file);
        return 'replaced by another package (rename)';
    }
  };
  return { pkg: { packageId, manifest, image: keptImage(file, packageId, spans.image) }, change, apply };
}
