import { packagesRoutes } from '../../api/routes/packagesRoutes.js';
import type { FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';
import { PackageStore } from '../../services/packages/PackageStore.js';
import type { Area, AreaDeps } from './Area.js';

export interface PackagesAreaOptions {
  /** `fiscald --trusted-keys` (default `<data-dir>/trusted-keys`). */
  readonly trustedKeys: string;
  /** Upload limit in bytes (DEFAULT_PACKAGE_MAX_BYTES otherwise). */
  readonly maxBytes?: number;
  /** Keys trusted besides the folder's (the repository's package keys). */
  readonly additionalKeys?: () => Promise<readonly FwpkgPublicKey[]>;
}

export interface PackagesArea extends Area {
  readonly store: PackageStore;
}

/**
 * Firmware packages: the store under `<data-dir>/packages` (uploads a crash cut short removed first), verified
 * against the trusted-keys folder at each upload, and the `/v1/packages` routes. No job kind: an upload is
 * verified within its request.
 */
export async function packagesArea(deps: AreaDeps, options: PackagesAreaOptions): Promise<PackagesArea> {
  const logger = deps.logger.child({ area: 'packages' });
  const store = PackageStore.forDataDir(deps.dataDir, {
    trustedKeysDir: options.trustedKeys, logger, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.additionalKeys === undefined ? {} : { additionalKeys: options.additionalKeys }),
  });
  await store.cleanTemporary();
  const trusted = await store.trustedKeys();
  if (trusted.missing) logger.warn({ dir: trusted.dir }, 'no trusted-keys folder: every firmware package will be refused until a vendor key is put there');
  else logger.info({ dir: trusted.dir, keys: trusted.keys.map((k) => k.keyId), skipped: trusted.skipped }, 'trusted keys for firmware packages');
  return { store, plugins: [packagesRoutes({ store })], definitions: [] };
}
