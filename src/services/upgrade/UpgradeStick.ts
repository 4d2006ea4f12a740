/** A copy made on a stick: where it is, and what was read back from it. */
export interface StickCopyMade {
  readonly mountPoint: string;
  /** Absolute path of the copy. */
  readonly path: string;
  readonly bytes: number;
  /** SHA-256 of what was read back from the stick (the same as of what was written, or the copy failed). */
  readonly sha256: string;
}

/** What a resumed job finds of an earlier copy (drivers/stick checkStickCopy). */
export type StickCopyFound =
  | { readonly state: 'verified'; readonly mountPoint: string; readonly path: string; readonly bytes: number }
  | { readonly state: 'damaged'; readonly mountPoint: string; readonly path: string; readonly why: string }
  | { readonly state: 'absent' };

/**
 * The removable volumes as the stick path of an upgrade sees them (the wiring implements it over drivers/stick,
 * so the service never imports a driver). Refusals are the drivers' typed errors: STICK_NOT_FOUND, STICK_READ_ONLY,
 * STICK_FULL, STICK_VERIFY_FAILED.
 */
export interface UpgradeStick {
  /** Copies `bytes` to `relativeTarget` on the first writable removable volume with a `.sha256` sidecar, fsynced, read back, compared. */
  copy(bytes: Uint8Array, relativeTarget: string, onProgress?: (done: number, total: number, phase: 'write' | 'read-back') => void): Promise<StickCopyMade>;
  /** Refuses, writing nothing, when no removable volume could take `size` bytes now (STICK_NOT_FOUND, STICK_READ_ONLY, STICK_FULL). */
  room(size: number): Promise<{ readonly mountPoint: string }>;
  /** Looks for a copy at `relativeTarget` on every mounted removable volume and reads it back against `sha256`. */
  check(relativeTarget: string, sha256: string): Promise<StickCopyFound>;
}

/** What the technician is told to do (the job's waiting reason says the same in words). */
export interface StickHandover {
  readonly jobDeviceId: string;
  readonly machineNumber: string;
  readonly model: string;
  readonly version: string;
  /** Where the package is now: the stick's mount point in the gateway, and the file relative to it. */
  readonly mountPoint: string | undefined;
  readonly file: string;
}

const SAFE_NAME = /[^A-Za-z0-9._-]/g;

/**
 * Where a package goes on the stick (DESIGN.md, usb-stick): `FISCAL/UPGRADE/<model>/<version>.fwpkg`. A model name
 * is a folder name on FAT: any character other than letters, digits, `.`, `_` and `-` becomes `_`, and a leading
 * dot too (no `..`, no hidden folder).
 */
export function stickPackagePath(model: string, version: string): string {
  return `FISCAL/UPGRADE/${model.replace(SAFE_NAME, '_').replace(/^\./, '_')}/${version}.fwpkg`;
}
