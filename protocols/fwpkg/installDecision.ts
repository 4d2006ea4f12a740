import { GatewayError } from '../../contracts/errors/index.js';
import { compareVersions, type FirmwareVersion } from './FirmwareVersion.js';
import type { FwpkgManifest, UpgradePath } from './manifest.js';

/** What the register says of itself (GB-link 37), versions already parsed. */
export interface RunningRegister {
  readonly model: string;
  readonly firmwareVersion: FirmwareVersion;
  readonly bootloaderVersion: FirmwareVersion;
}

export interface InstallRequest {
  /** A verified package's manifest. */
  readonly manifest: FwpkgManifest;
  readonly register: RunningRegister;
  readonly path: UpgradePath;
  /** Install the version the register already runs. */
  readonly reinstall?: boolean;
  /** Install a version older than the one the register runs (recorded as a downgrade). */
  readonly allowDowngrade?: boolean;
}

export type InstallKind = 'upgrade' | 'reinstall' | 'downgrade';

export type InstallDecision =
  | { readonly allowed: true; readonly kind: InstallKind; readonly from: FirmwareVersion; readonly to: FirmwareVersion }
  | { readonly allowed: false; readonly refusal: GatewayError };

function refuse(code: ConstructorParameters<typeof GatewayError>[0], params: Record<string, string>): InstallDecision {
  return { allowed: false, refusal: new GatewayError(code, { params }) };
}

/**
 * The version rules of DESIGN.md, decided before anything is sent to the register, in this order: model
 * listed, path allowed, bootloader new enough, running version not below `versionLowest`, then same version
 * only with `reinstall` and an older one only with `allowDowngrade`. The first rule broken is the refusal.
 */
export function decideInstall(request: InstallRequest): InstallDecision {
  const { manifest, register, path } = request;
  if (!manifest.models.includes(register.model)) {
    return refuse('UPGRADE_MODEL_NOT_LISTED', { model: register.model, models: manifest.models.join(', ') });
  }
  if (!manifest.paths.includes(path)) {
    return refuse('UPGRADE_PATH_NOT_ALLOWED', { path, paths: manifest.paths.join(', ') });
  }
  if (compareVersions(register.bootloaderVersion, manifest.bootloaderLowest) < 0) {
    return refuse('UPGRADE_BOOTLOADER_TOO_OLD', { bootloader: register.bootloaderVersion, lowest: manifest.bootloaderLowest });
  }
  if (compareVersions(register.firmwareVersion, manifest.versionLowest) < 0) {
    return refuse('UPGRADE_BELOW_LOWEST', { running: register.firmwareVersion, lowest: manifest.versionLowest, target: manifest.version });
  }
  const order = compareVersions(manifest.version, register.firmwareVersion);
  const step = { from: register.firmwareVersion, to: manifest.version };
  if (order === 0) {
    return request.reinstall ? { allowed: true, kind: 'reinstall', ...step } : refuse('UPGRADE_SAME_VERSION', { version: manifest.version });
  }
  if (order < 0) {
    return request.allowDowngrade ? { allowed: true, kind: 'downgrade', ...step } : refuse('UPGRADE_OLDER_VERSION', { running: register.firmwareVersion, target: manifest.version });
  }
  return { allowed: true, kind: 'upgrade', ...step };
}
