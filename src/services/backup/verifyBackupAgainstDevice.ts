import { withBackupPort, type BackupDevices } from './BackupDevices.js';
import type { BackupStore } from './BackupStore.js';
import { compareWithDevice, type DeviceComparison } from './compareWithDevice.js';
import type { VerifyFailure } from './judgeBackup.js';

/** What the verification needs to know of the register a backup came from, before borrowing it. */
export interface RegisterAvailability {
  isOnline(deviceId: string): boolean;
  /** The id of the job running on the device, if any. */
  runningJob(deviceId: string): string | undefined;
}

export type DeviceCheck = (DeviceComparison & { readonly compared: true }) | { readonly compared: false; readonly reason: string };

export interface BackupVerificationReport {
  readonly id: string;
  readonly ok: boolean;
  readonly verifiedAt: string;
  readonly failures: readonly VerifyFailure[];
  readonly device: DeviceCheck;
}

/**
 * Re-hashes every file of a backup and, when asked and its register is online and idle, compares the
 * backup with the register. A busy register is not waited for: a verification must not queue behind a
 * long job, and borrowing it would block that job's next step.
 */
export async function verifyBackupAgainstDevice(
  deps: { readonly store: BackupStore; readonly devices: BackupDevices; readonly registers: RegisterAvailability },
  backupId: string,
  options: { readonly compareWithDevice: boolean; readonly signal?: AbortSignal },
): Promise<BackupVerificationReport> {
  const { store, devices, registers } = deps;
  const verification = await store.verify(backupId);
  const report = { id: verification.id, ok: verification.ok, verifiedAt: verification.verifiedAt, failures: verification.failures };
  const manifest = verification.manifest;
  if (!options.compareWithDevice) return { ...report, device: { compared: false, reason: 'not asked' } };
  if (manifest === undefined) return { ...report, device: { compared: false, reason: 'backup has no readable manifest' } };
  const deviceId = manifest.device.id;
  if (!registers.isOnline(deviceId)) return { ...report, device: { compared: false, reason: 'register not connected' } };
  const busyWith = registers.runningJob(deviceId);
  if (busyWith !== undefined) return { ...report, device: { compared: false, reason: `register busy with job ${busyWith}` } };
  const signal = options.signal ?? new AbortController().signal;
  const comparison = await withBackupPort(devices, deviceId, signal, (port) => compareWithDevice(manifest, port, signal, verification.dir));
  return { ...report, device: { compared: true, ...comparison } };
}
