import type { FwpkgManifest } from '../../../protocols/fwpkg/manifest.js';

/** A kept package verified again just now, with its image (the packages area implements it over its store). */
export interface PackageForUse {
  readonly packageId: string;
  readonly manifest: FwpkgManifest;
  /** firmware.bin, whose size and SHA-256 match the manifest. */
  readonly image: Uint8Array;
  /** The whole `.fwpkg` whose image this is (signature included), for paths that hand the package itself to the register (stick, card). */
  readonly fwpkg?: Uint8Array;
}

/** How the upgrade gets a package: verified against the trusted keys as they are now, or refused (FWPKG_*). */
export interface UpgradePackages {
  forUse(packageId: string): Promise<PackageForUse>;
}
