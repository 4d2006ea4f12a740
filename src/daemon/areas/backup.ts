import type { Logger } from 'pino';
import { copyToStick } from '../../../drivers/stick/copyToStick.js';
import { backupsRoutes } from '../../api/routes/backupsRoutes.js';
import type { DevicePort } from '../../devices/DevicePort.js';
import { silentLogger } from '../../log.js';
import type { BackupDevices } from '../../services/backup/BackupDevices.js';
import { BACKUP_JOB_KIND, reconcileBackupJob } from '../../services/backup/backupJob.js';
import { BackupStore } from '../../services/backup/BackupStore.js';
import type { StickWriter } from '../../services/backup/exportBackupToStick.js';
import { jobBackupGate } from '../../services/backup/jobBackupGate.js';
import { RESTORE_JOB_KIND } from '../../services/backup/restore/restoreJob.js';
import type { BackupGateFor } from '../../services/common/BackupGate.js';
import type { Area, AreaDeps } from './Area.js';

/** Backups borrow the register through the DevicePort, on a serial line at the fastest rate the register offers. */
export function backupDevices(devices: DevicePort, log: Logger = silentLogger, utcOffsetMinutes?: number): BackupDevices {
  return { port: devices, log, ...(utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes }) };
}

export interface BackupArea extends Area {
  readonly store: BackupStore;
  readonly devices: BackupDevices;
  /** The backup gate port for operations that change or retire a register (deregistration): implemented here. */
  readonly gate: BackupGateFor;
}

/**
 * Data backup and restore: the store under `<data-dir>/backups` (unfinished folders of a crashed run removed
 * before anything else), the routes, and the `backup` and `restore` job kinds. A backup cut by a restart is
 * reconciled from its checkpoint (committed and verifying: succeeded, with its id). A restore's one write (62)
 * sets fields to values, so running it again is safe: failing it when cut by a restart (the default) is the truth.
 */
export async function backupArea(deps: AreaDeps): Promise<BackupArea> {
  const logger = deps.logger.child({ area: 'backup' });
  const store = BackupStore.forDataDir(deps.dataDir, logger);
  await store.cleanTemporary();
  const devices = backupDevices(deps.devices, logger, deps.registerUtcOffsetMinutes);
  const stick: StickWriter = async (source, target, mountPoint) => {
    const copy = await copyToStick(source, target, { ...(mountPoint === undefined ? {} : { mountPoint }), ...(deps.stick?.roots === undefined ? {} : { roots: deps.stick.roots }) });
    return { mountPoint: copy.volume.mountPoint, path: copy.path, checksumPath: copy.checksumPath, bytes: copy.bytes, sha256: copy.sha256 };
  };
  return {
    store, devices, gate: jobBackupGate({ store, devices }, logger),
    plugins: [backupsRoutes({ store, devices, stick })],
    definitions: [{ kind: BACKUP_JOB_KIND, reconcile: (job) => reconcileBackupJob(job, store) }, { kind: RESTORE_JOB_KIND }],
  };
}
