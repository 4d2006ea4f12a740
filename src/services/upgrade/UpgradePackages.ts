import type { FwpkgManifest } from '../../../protocols/fwpkg/manifest.js';
import type { FirmwareImage } from './FirmwareImage.js';

/** A kept package verified again just now, with its image (the packages area implements it over its store). */
export interface PackageForUse {
  readonly packageId: string;
  readonly manifest: FwpkgManifest;
  /** firmware.bin, whose size and digests match the manifest: a reader of the kept file, or bytes (a view of `fwpkg` when given). */
  readonly image: FirmwareImage;
  /** The whole `.fwpkg` whose image this is (signature included), for paths that hand the package itself to the register (stick, card); given when asked for. */
  readonly fwpkg?: Uint8Array;
}

export interface PackageNeeds {
  /** The path hands the `.fwpkg` itself over (UpgradeTransfer.needsPackageBytes): `fwpkg` must be given. */
  readonly packageBytes?: boolean;
}

/** How the upgrade gets a package: verified against the trusted keys as they are now, or refused (FWPKG_*). */
export interface UpgradePackages {
  forUse(packageId: string, needs?: PackageNeeds): Promise<PackageForUse>;
}
