import type { Logger } from 'pino';
import { withBulkBaud } from '../../devices/bulkBaud.js';
import type { BorrowedDevice, DevicePort } from '../../devices/DevicePort.js';
import type { BackupPort } from './BackupPort.js';
import { openRegisterBackupPort } from './registerBackupPort.js';
import { sessionRestoreTarget, type RestoreTarget } from './restore/RestoreTarget.js';

/**
 * How backup and restore reach a register: through the one DevicePort (waiting honours the job's signal; the
 * job's own device is lent at once), the lent register seen as a BackupPort or a RestoreTarget. The views are
 * replaceable for tests; by default they are built over the lent session.
 */
export interface BackupDevices {
  readonly port: DevicePort;
  /** Where the line-rate switch for bulk reads says what it did. */
  readonly log?: Logger;
  /** The register time zone setting (SPEC.md §4.1), minutes east of UTC; UTC+8 when absent. */
  readonly utcOffsetMinutes?: number;
  readonly backupPortOf?: (device: BorrowedDevice) => Promise<BackupPort>;
  readonly restoreTargetOf?: (device: BorrowedDevice) => Promise<RestoreTarget>;
}

/** Borrows `deviceId` for `fn` as a BackupPort (bulk reads at the fastest line rate), given back on every path. */
export function withBackupPort<T>(devices: BackupDevices, deviceId: string, signal: AbortSignal, fn: (port: BackupPort) => Promise<T>): Promise<T> {
  return devices.port.withDevice(deviceId, signal, async (device) => {
    if (devices.backupPortOf !== undefined) return fn(await devices.backupPortOf(device));
    return withBulkBaud(device.session, async () => fn(await openRegisterBackupPort(device.session, { deviceId, ...(devices.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: devices.utcOffsetMinutes }) })), devices.log);
  });
}

/** Borrows `deviceId` for `fn` as the target of a restore, given back on every path. */
export function withRestoreTarget<T>(devices: BackupDevices, deviceId: string, signal: AbortSignal, fn: (target: RestoreTarget) => Promise<T>): Promise<T> {
  return devices.port.withDevice(deviceId, signal, async (device) => fn(await (devices.restoreTargetOf ?? ((d) => sessionRestoreTarget(d.session)))(device)));
}
