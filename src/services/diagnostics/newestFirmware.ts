import { compareVersions, isFirmwareVersion } from '../../../protocols/fwpkg/FirmwareVersion.js';

/** The part of a stored firmware package (services/packages, verified at upload) this needs. */
export interface HeldPackage {
  readonly manifest: { readonly models: readonly string[]; readonly version: string };
}

/** The newest firmware version among the trusted packages held for `model`; undefined when none is. */
export function newestFirmwareFor(model: string, packages: readonly HeldPackage[]): string | undefined {
  let newest: string | undefined;
  for (const { manifest } of packages) {
    if (!manifest.models.includes(model) || !isFirmwareVersion(manifest.version)) continue;
    if (newest === undefined || (isFirmwareVersion(newest) && compareVersions(manifest.version, newest) > 0)) newest = manifest.version;
  }
  return newest;
}
