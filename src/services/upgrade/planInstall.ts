import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { decideInstall, type InstallKind } from '../../../protocols/fwpkg/installDecision.js';
import { parseFirmwareVersion } from '../../../protocols/fwpkg/FirmwareVersion.js';
import type { FwpkgManifest, UpgradePath } from '../../../protocols/fwpkg/manifest.js';
import { BOOTLOADER_FIRMWARE_VERSION } from '../../devices/registry/registerSessionLink.js';
import type { UpgradeRequest } from './upgradeRequest.js';

export interface RegisterVersions {
  readonly model: string;
  readonly firmwareVersion: string;
  readonly bootloaderVersion: string;
}

/**
 * The version gate of an upgrade (decideInstall: model, path allowed by the package, bootloader, lowest, same
 * version only with reinstall, older only with allowDowngrade), then this gateway's own limit: the paths it has a
 * transfer for (UPGRADE_PATH_UNAVAILABLE for a path the package allows but the gateway does not do). Throws the
 * first refusal; used by the route before the job starts (422) and by the job against the register's own 37.
 * A register in its bootloader (37 says 0.0.0, GB link SPEC §5.2) runs nothing: the rules that compare with the
 * running version (lowest, same, older) do not apply, model, path and bootloader rules do; it is an upgrade from 0.0.0.
 */
export function planInstall(
  manifest: FwpkgManifest, register: RegisterVersions, request: Pick<UpgradeRequest, 'path' | 'reinstall' | 'allowDowngrade'>,
  available: readonly UpgradePath[] = ['serial'],
): { readonly kind: InstallKind; readonly from: string } {
  const decision = decideInstall({
    manifest, path: request.path, reinstall: request.reinstall, allowDowngrade: request.allowDowngrade,
    register: {
      model: register.model, firmwareVersion: parseFirmwareVersion(register.firmwareVersion), bootloaderVersion: parseFirmwareVersion(register.bootloaderVersion),
    },
  });
  if (!decision.allowed) {
    // decideInstall checks lowest after model, path and bootloader: those passed, and nothing is older than 0.0.0.
    const inBootloader = register.firmwareVersion === BOOTLOADER_FIRMWARE_VERSION && isGatewayError(decision.refusal, 'UPGRADE_BELOW_LOWEST');
    if (!inBootloader) throw decision.refusal;
    if (!available.includes(request.path)) throw new GatewayError('UPGRADE_PATH_UNAVAILABLE', { params: { path: request.path } });
    return { kind: 'upgrade', from: BOOTLOADER_FIRMWARE_VERSION };
  }
  if (!available.includes(request.path)) throw new GatewayError('UPGRADE_PATH_UNAVAILABLE', { params: { path: request.path } });
  return { kind: decision.kind, from: decision.from };
}
