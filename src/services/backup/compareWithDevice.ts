import type { BackupManifest } from './BackupManifest.js';
import type { BackupPort } from './BackupPort.js';

export interface DeviceDifference {
  readonly kind: string;
  readonly inBackup: number;
  readonly onDevice: number;
}

export interface DeviceComparison {
  readonly sameMachine: boolean;
  /** Kinds whose count the device reports differently from the backup. */
  readonly differences: readonly DeviceDifference[];
  /** The device's last daily date against the backup's. */
  readonly lastDaily: { readonly inBackup?: string; readonly onDevice?: string };
  /** True when the device holds exactly what the backup holds, as far as counts and the last day tell. */
  readonly matches: boolean;
}

/**
 * Compares a backup with the register it came from, without reading the records again: the counts
 * the register announces per kind (status 41 / count extension) and its last signed day. More on
 * the device means it was used since the backup; fewer means the backup holds records the device
 * no longer reports, which must be looked at.
 */
export async function compareWithDevice(manifest: BackupManifest, port: BackupPort, signal: AbortSignal): Promise<DeviceComparison> {
  const holdings = await port.holdings(signal);
  const differences: DeviceDifference[] = [];
  for (const section of port.sections()) {
    if (section.expected === undefined) continue;
    const inBackup = manifest.kinds[section.kind]?.records ?? 0;
    if (inBackup !== section.expected) differences.push({ kind: section.kind, inBackup, onDevice: section.expected });
  }
  const lastDaily = { inBackup: manifest.kinds.daily?.lastDate, onDevice: holdings.lastDailyDate };
  const sameMachine = port.device.machineNumber === manifest.device.machineNumber;
  return { sameMachine, differences, lastDaily, matches: sameMachine && differences.length === 0 && lastDaily.inBackup === lastDaily.onDevice };
}
