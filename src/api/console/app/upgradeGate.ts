/**
 * The version gate of a firmware upgrade as the console shows it before anything starts: the rules of
 * protocols/fwpkg/installDecision.ts (decideInstall), in its order, over the package's verified manifest and what
 * the register last said of itself. fiscald decides again when the job is asked for (and refuses with 422); this is
 * what the technician sees first. test/unit/console/upgradeGate.test.ts holds it to decideInstall.
 */
export interface GateManifest {
  readonly version: string;
  readonly versionLowest: string;
  readonly bootloaderLowest: string;
  readonly models: readonly string[];
  readonly paths: readonly string[];
}

export interface GateRegister {
  readonly model?: string | undefined;
  readonly firmwareVersion?: string | undefined;
  readonly bootloaderVersion?: string | undefined;
}

export interface GateRequest {
  readonly path: string;
  readonly reinstall: boolean;
  readonly allowDowngrade: boolean;
}

export type GateRule = 'unknown' | 'model' | 'path' | 'bootloader' | 'lowest' | 'same' | 'older';

export type GateVerdict =
  | { readonly allowed: true; readonly kind: 'upgrade' | 'reinstall' | 'downgrade' }
  | { readonly allowed: false; readonly rule: GateRule };

function parts(version: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(version);
  return match ? match.slice(1).map(Number) : null;
}

/** <0, 0, >0 as a is older, the same, newer than b (major, minor, patch). */
export function compareVersions(a: string, b: string): number {
  const x = parts(a)!;
  const y = parts(b)!;
  for (let i = 0; i < 3; i += 1) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return 0;
}

export function upgradeGate(manifest: GateManifest, register: GateRegister, request: GateRequest): GateVerdict {
  const { model, firmwareVersion, bootloaderVersion } = register;
  if (model === undefined || firmwareVersion === undefined || bootloaderVersion === undefined
    || parts(firmwareVersion) === null || parts(bootloaderVersion) === null) return { allowed: false, rule: 'unknown' };
  if (!manifest.models.includes(model)) return { allowed: false, rule: 'model' };
  if (!manifest.paths.includes(request.path)) return { allowed: false, rule: 'path' };
  if (compareVersions(bootloaderVersion, manifest.bootloaderLowest) < 0) return { allowed: false, rule: 'bootloader' };
  if (compareVersions(firmwareVersion, manifest.versionLowest) < 0) return { allowed: false, rule: 'lowest' };
  const order = compareVersions(manifest.version, firmwareVersion);
  if (order === 0) return request.reinstall ? { allowed: true, kind: 'reinstall' } : { allowed: false, rule: 'same' };
  if (order < 0) return request.allowDowngrade ? { allowed: true, kind: 'downgrade' } : { allowed: false, rule: 'older' };
  return { allowed: true, kind: 'upgrade' };
}
