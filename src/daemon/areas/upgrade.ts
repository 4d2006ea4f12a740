import { readFile } from 'node:fs/promises';
import { GatewayError } from '../../../contracts/errors/index.js';
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
 * The packages store as the upgrade sees it: verified again against the trusted keys now, in place (the image
 * measured where it lies in the kept file). The serial path reads the image block by block from that span (never
 * held whole); a path that hands the package itself over (stick, card) gets the file's bytes, measured once more,
 * and the image as a view of them.
 */
export function packagesForUpgrade(store: PackageStore): UpgradePackages {
  return {
    async forUse(packageId, needs = {}) {
      const { stored, verified, imageSpan } = await store.verifiedForUse(packageId);
      const { manifest } = verified;
      if (needs.packageBytes !== true) return { packageId, manifest, image: keptImage(stored.file, packageId, imageSpan) };
      const file = await readFile(stored.file);
      const fwpkg = new Uint8Array(file.buffer, file.byteOffset, file.byteLength);
      const image = fwpkg.subarray(imageSpan.offset, imageSpan.offset + imageSpan.size);
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
