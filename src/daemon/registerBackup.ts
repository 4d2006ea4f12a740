import type { Logger } from 'pino';
import type { ApiPlugin } from '../api/ApiContext.js';
import { backupsRoutes } from '../api/routes/backupsRoutes.js';
import type { DeviceRegistry } from '../devices/DeviceRegistry.js';
import type { RegisterSession } from '../devices/RegisterSession.js';
import type { JobDefinition } from '../jobs/types.js';
import type { BackupAccess } from '../services/backup/BackupAccess.js';
import { BACKUP_JOB_KIND } from '../services/backup/backupJob.js';
import { BackupStore } from '../services/backup/BackupStore.js';
import { openRegisterBackupPort } from '../services/backup/registerBackupPort.js';
import { RESTORE_JOB_KIND } from '../services/backup/restore/restoreJob.js';
import { sessionRestoreTarget } from '../services/backup/restore/RestoreTarget.js';
import { silentLogger } from '../log.js';
import { withBulkBaud } from './bulkBaud.js';
import { copyToStick } from '../../drivers/stick/copyToStick.js';
import type { StickWriter } from '../services/backup/exportBackupToStick.js';

/**
 * A backup borrows the device's session from the registry for the length of the run (one borrower per
 * device), on a serial line at the fastest rate the register offers for the bulk reads.
 */
export function registryBackupAccess(registry: DeviceRegistry<RegisterSession>, log: Logger = silentLogger): BackupAccess {
  return {
    withBackupPort(deviceId, _signal, fn) {
      return registry.withSession(deviceId, (session) => withBulkBaud(session, async () => fn(await openRegisterBackupPort(session, { deviceId })), log));
    },
    withRestoreTarget(deviceId, _signal, fn) {
      return registry.withSession(deviceId, async (session) => fn(await sessionRestoreTarget(session)));
    },
  };
}

export interface BackupArea {
  readonly store: BackupStore;
  readonly access: BackupAccess;
  readonly plugin: ApiPlugin;
  /**
   * `backup` and `restore`. A backup cut short by a restart left only a `.tmp-` folder, removed here; a
   * restore's one write (62) sets fields to values, so running it again is safe: failing both (the
   * default) is the truth.
   */
  readonly definitions: readonly JobDefinition[];
}

/**
 * Data backup in the daemon: the store under `<data-dir>/backups` (unfinished folders of a crashed
 * run removed before anything else), the API routes and the job kind.
 */
export async function registerBackup(dataDir: string, registry: DeviceRegistry<RegisterSession>, logger: Logger): Promise<BackupArea> {
  const store = BackupStore.forDataDir(dataDir, logger);
  await store.cleanTemporary();
  const access = registryBackupAccess(registry, logger);
  const stick: StickWriter = async (source, target, mountPoint) => {
    const copy = await copyToStick(source, target, mountPoint === undefined ? {} : { mountPoint });
    return { mountPoint: copy.volume.mountPoint, path: copy.path, checksumPath: copy.checksumPath, bytes: copy.bytes, sha256: copy.sha256 };
  };
  return { store, access, plugin: backupsRoutes({ store, access, stick }), definitions: [{ kind: BACKUP_JOB_KIND }, { kind: RESTORE_JOB_KIND }] };
}
