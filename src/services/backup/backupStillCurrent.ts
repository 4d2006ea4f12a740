import { compareWithDevice } from './compareWithDevice.js';
import { withBackupPort, type BackupDevices } from './BackupDevices.js';
import type { BackupStore } from './BackupStore.js';

/** One of this gateway's service records of the register (the store's ServiceRecord has these fields). */
export interface ServiceRecordFacts {
  readonly at: string;
  readonly action: string;
}

/** Actions that change nothing a backup holds; any other record since a backup (roll, change, initialize, restore, upgrade…) makes it stale. */
const LEAVES_REGISTER_AS_IS = new Set(['backup', 'diagnostics', 'deregister']);

/** Why a backup no longer describes the register; undefined while it still does. */
export type BackupCurrency = (candidate: { readonly id: string; readonly createdAt: string }) => Promise<string | undefined>;

/**
 * Whether a backup still holds what the register holds: nothing this gateway did to the register since the backup
 * was made (its service records), and the register's record counts and last signed day as the backup has them
 * (compareWithDevice: the count extension when the register lists it, else what public reads give). The register
 * is borrowed through the DevicePort; inside a job that owns it, it is lent at once.
 */
export function backupStillCurrent(deps: {
  readonly store: BackupStore;
  readonly devices: BackupDevices;
  readonly deviceId: string;
  readonly history: readonly ServiceRecordFacts[];
  readonly signal: AbortSignal;
}): BackupCurrency {
  return async (candidate) => {
    const madeAt = Date.parse(candidate.createdAt);
    const since = deps.history.filter((record) => Date.parse(record.at) > madeAt && !LEAVES_REGISTER_AS_IS.has(record.action.split(':')[0]!));
    if (since.length > 0) return `changed by this gateway since: ${since.map((record) => `${record.action} at ${record.at}`).join(', ')}`;
    const manifest = await deps.store.manifest(candidate.id);
    const comparison = await withBackupPort(deps.devices, deps.deviceId, deps.signal, (port) => compareWithDevice(manifest, port, deps.signal));
    if (comparison.matches) return undefined;
    const parts = [
      ...(comparison.sameMachine ? [] : ['another machine']),
      ...comparison.differences.map((d) => `${d.kind} ${d.inBackup} in the backup / ${d.onDevice} on the register`),
      ...(comparison.lastDaily.inBackup === comparison.lastDaily.onDevice ? [] : [`last daily ${comparison.lastDaily.inBackup ?? '—'} / ${comparison.lastDaily.onDevice ?? '—'}`]),
    ];
    return `the register no longer matches it: ${parts.join(', ')}`;
  };
}
