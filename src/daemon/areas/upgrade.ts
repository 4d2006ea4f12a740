import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../../contracts/errors/index.js';
import { findImageSpan } from '../../../protocols/fwpkg/imageSpan.js';
import { measureImage } from '../../../protocols/fwpkg/imageDigest.js';
import { upgradeJobRun, upgradeRoutes } from '../../api/routes/upgradeRoutes.js';
import type { BackupGateFor } from '../../services/common/BackupGate.js';
import { keptImage } from '../../services/packages/keptImage.js';
import type { PackageStore } from '../../services/packages/PackageStore.js';
import type { PcscSource } from '../../devices/readers/PcscCardReaders.js';
import { cardTransfer } from '../../services/upgrade/cardTransfer.js';
import { reconcileUpgrade } from '../../services/upgrade/reconcileUpgrade.js';
import { UPGRADE_JOB_KIND } from '../../services/upgrade/runUpgrade.js';
import { serialTransfer } from '../../services/upgrade/serialTransfer.js';
import { stickTransfer } from '../../services/upgrade/stickTransfer.js';
import type { UpgradeTransfers } from '../../services/upgrade/UpgradeTransfer.js';
import { upgradeRequestSchema } from '../../services/upgrade/upgradeRequest.js';
import type { UpgradePackages } from '../../services/upgrade/UpgradePackages.js';
import type { Area, AreaDeps } from './Area.js';
import { upgradeCardReaders } from './upgradeCardReaders.js';
import { upgradeStick } from './upgradeStick.js';

/**
 * The packages store as the upgrade sees it: verified again against the trusted keys now, and the image it will
 * send measured once more against the manifest. The image is read block by block from the kept file (never held
 * whole); a path that hands the package itself over (stick, card) gets the file's bytes, the image a view of them.
 */
export function packagesForUpgrade(store: PackageStore): UpgradePackages {
  return {
    async forUse(packageId, needs = {}) {
      const { stored, verified } = await store.verifiedForUse(packageId);
      const { manifest } = verified;
      if (needs.packageBytes !== true) return { packageId, manifest, image: await keptImage(stored.file, packageId, manifest) };
      const file = await readFile(stored.file);
      const fwpkg = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
      const span = await findImageSpan(async (offset, length) => fwpkg.subarray(offset, offset + length), fwpkg.length);
      const image = fwpkg.subarray(span.offset, span.offset + span.size);
      const digest = measureImage(image);
      // The file was verified a moment ago; the bytes handed over are the bytes checked.
      if (digest.size !== manifest.size || digest.sha256 !== manifest.sha256 || digest.sm3 !== manifest.sm3) {
        throw new GatewayError('FWPKG_IMAGE_TAMPERED', { params: { digest: 'SHA-256' } });
      }
      return { packageId, manifest, image, fwpkg };
    },
  };
}

/**
 * Firmware upgrades (issue 11): `POST /v1/devices/{id}/upgrade` over the packages area's store and the backup
 * area's gate; an upgrade a restart interrupted is reconciled once its register is back (on the target and
 * confirmed → succeeded; else resumed from its checkpoint under the same job).
 */
export function upgradeArea(
  deps: AreaDeps, options: { readonly store: PackageStore; readonly backupGate: BackupGateFor; readonly pcsc: () => Promise<PcscSource | undefined> },
): Area {
  // One line per path (src/services/upgrade/UpgradeTransfer.ts); a path missing here is refused UPGRADE_PATH_UNAVAILABLE.
  const transfers: UpgradeTransfers = {
    serial: serialTransfer(),
    'ic-card': cardTransfer({ readers: upgradeCardReaders(options.pcsc) }),
    'usb-stick': stickTransfer({ stick: upgradeStick(deps.stick?.roots === undefined ? {} : { roots: deps.stick.roots }), ...(deps.stick?.technician === undefined ? {} : { technician: deps.stick.technician }) }),
  };
  const routes = { registers: deps.devices, packages: packagesForUpgrade(options.store), backupGate: options.backupGate, transfers };
  return {
    plugins: [upgradeRoutes(routes)],
    definitions: [{
      kind: UPGRADE_JOB_KIND,
      reconcile: async (job, device) => reconcileUpgrade(job, device, upgradeJobRun(routes, {
        deviceId: job.deviceId, backupKey: device.identity.machineNumber,
        history: () => deps.records?.list({ device: device.identity.machineNumber }) ?? [],
      }, upgradeRequestSchema.parse(job.params))),
    }],
  };
}
