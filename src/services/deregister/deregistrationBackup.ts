import { withBackupPort, type BackupDevices } from '../backup/BackupDevices.js';
import type { BackupStore } from '../backup/BackupStore.js';
import { collectBackup } from '../backup/collectBackup.js';
import type { DeregistrationDeps } from './runDeregistration.js';

/**
 * The backup a deregistration makes when none from the last hour exists: the register borrowed
 * through the DevicePort (BackupDevices), progress against the records it announces, cancelled with the job.
 */
export function deregistrationBackup(
  deviceId: string, backups: { readonly store: BackupStore; readonly devices: BackupDevices },
  job: { readonly signal: AbortSignal; progress(fraction: number, detail?: string): void },
): DeregistrationDeps['makeBackup'] {
  return () => withBackupPort(backups.devices, deviceId, job.signal, (port) => collectBackup(port, backups.store, {
    signal: job.signal,
    onProgress: ({ records, expectedTotal }) => {
      if (expectedTotal !== undefined && expectedTotal > 0) job.progress(Math.min(1, records / expectedTotal), `backup ${records} / ${expectedTotal}`);
    },
  }));
}
