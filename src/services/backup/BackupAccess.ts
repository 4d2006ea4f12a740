import type { BackupPort } from './BackupPort.js';
import type { RestoreTarget } from './restore/RestoreTarget.js';

/**
 * Lends a register to a backup: borrows the device's session (and its card slots), adapts it to a
 * BackupPort for `fn`, and gives it back whatever happens. The daemon implements it over the device
 * registry; tests give a fake.
 */
export interface BackupAccess {
  withBackupPort<T>(deviceId: string, signal: AbortSignal, fn: (port: BackupPort) => Promise<T>): Promise<T>;
  /** The same loan for a restore onto a replacement register. */
  withRestoreTarget<T>(deviceId: string, signal: AbortSignal, fn: (target: RestoreTarget) => Promise<T>): Promise<T>;
}
