import type { Logger } from 'pino';
import type { BackupGateFor } from '../common/BackupGate.js';
import { withBackupPort, type BackupDevices } from './BackupDevices.js';
import type { BackupStore } from './BackupStore.js';
import { backupStillCurrent } from './backupStillCurrent.js';
import { collectBackup } from './collectBackup.js';
import { ensureVerifiedBackup } from './ensureVerifiedBackup.js';

/**
 * The backup gate as a job that changes or retires a register gets it (src/services/common/BackupGate.ts): a
 * recent backup reused only while it verifies and still describes the register (backupStillCurrent), else a new
 * one made with the register borrowed through the DevicePort under the job's signal, its records reported as the
 * job's progress. The backup area's wiring builds it; the operations never import this service.
 */
export function jobBackupGate(backups: { readonly store: BackupStore; readonly devices: BackupDevices }, log?: Logger): BackupGateFor {
  return (target, job) => ({
    pass: (options) => ensureVerifiedBackup(target.backupKey, backups.store, () => withBackupPort(backups.devices, target.deviceId, job.signal, (port) =>
      collectBackup(port, backups.store, {
        signal: job.signal,
        onProgress: ({ records, expectedTotal }) => {
          if (expectedTotal !== undefined && expectedTotal > 0) job.progress(Math.min(1, records / expectedTotal), `backup ${records} / ${expectedTotal}`);
        },
      })), {
      ...options,
      stillCurrent: backupStillCurrent({
        store: backups.store, devices: backups.devices, deviceId: target.deviceId, signal: job.signal, history: target.history,
      }),
      ...(log === undefined ? {} : { log }),
    }),
  });
}
