import { type FirmwareVersion } from './FirmwareVersion.js';
import { packFwpkg } from './fwpkgTar.js';
import { measureImage } from './imageDigest.js';
import type { FwpkgPrivateKey } from './keys.js';
import { canonicalManifestBytes, checkManifest, FWPKG_FORMAT, type FwpkgManifest, type UpgradePath } from './manifest.js';
import { signManifest } from './signature.js';

export interface BuildRequest {
  readonly image: Uint8Array;
  readonly key: FwpkgPrivateKey;
  readonly vendor: string;
  readonly models: readonly string[];
  readonly version: FirmwareVersion;
  readonly versionLowest: FirmwareVersion;
  readonly bootloaderLowest: FirmwareVersion;
  readonly paths: readonly UpgradePath[];
  readonly releaseNotes: string;
  /** Whole seconds, UTC; also the mtime of the tar entries. */
  readonly createdAt: Date;
}

export interface BuiltPackage {
  readonly bytes: Uint8Array;
  readonly manifest: FwpkgManifest;
  readonly manifestBytes: Uint8Array;
  readonly signature: Uint8Array;
}

/** A signed `.fwpkg`: the manifest of the image in canonical form, its signature, the tar. */
export async function buildFwpkg(request: BuildRequest): Promise<BuiltPackage> {
  const digest = measureImage(request.image);
  const createdAt = new Date(Math.floor(request.createdAt.getTime() / 1000) * 1000);
  const manifest = checkManifest({
    format: FWPKG_FORMAT,
    vendor: request.vendor,
    models: [...request.models],
    version: request.version,
    versionLowest: request.versionLowest,
    bootloaderLowest: request.bootloaderLowest,
    size: digest.size,
    sha256: digest.sha256,
    sm3: digest.sm3,
    paths: [...request.paths],
    releaseNotes: request.releaseNotes,
    keyId: request.key.publicKey.keyId,
    createdAt: createdAt.toISOString().replace('.000Z', 'Z'),
  } satisfies Record<keyof FwpkgManifest, unknown>);
  const manifestBytes = canonicalManifestBytes(manifest);
  const signature = signManifest(manifestBytes, request.key);
  const bytes = await packFwpkg({ manifest: manifestBytes, image: request.image, signature }, createdAt);
  return { bytes, manifest, manifestBytes, signature };
}
