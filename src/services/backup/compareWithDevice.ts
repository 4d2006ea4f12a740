import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { BackupManifest } from './BackupManifest.js';
import type { BackupPort } from './BackupPort.js';

export interface DeviceDifference {
  readonly kind: string;
  readonly inBackup: number;
  readonly onDevice: number;
}

/** The last record of one kind, read again from the device. */
export interface RecordComparison {
  readonly kind: string;
  /** Its seq in `<kind>.jsonl`. */
  readonly seq: number;
  readonly outcome: 'same' | 'changed' | 'absent';
  /** What the device holds now, when it differs. */
  readonly onDevice?: unknown;
}

export interface DeviceComparison {
  readonly sameMachine: boolean;
  /** Kinds whose count the device reports differently from the backup. */
  readonly differences: readonly DeviceDifference[];
  /** The device's last daily date against the backup's. */
  readonly lastDaily: { readonly inBackup?: string; readonly onDevice?: string };
  /** The last record of every kind the device can read again, compared field by field. */
  readonly checkedRecords: readonly RecordComparison[];
  /** Those of `checkedRecords` that are not the same on the device. */
  readonly changedRecords: readonly RecordComparison[];
  /** True when the device holds exactly what the backup holds: counts, last day and last records. */
  readonly matches: boolean;
}

/** The last line of a JSON Lines file, read as a stream (the file may be large). */
async function lastLine(path: string): Promise<{ seq: number; record: unknown } | undefined> {
  let last: string | undefined;
  try {
    for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) if (line !== '') last = line;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return last === undefined ? undefined : (JSON.parse(last) as { seq: number; record: unknown });
}

/**
 * Compares a backup with the register it came from: the counts the register announces per kind
 * (status 41 / count extension), its last signed day, and — given the backup's folder `dir` — the
 * content of the last record of each kind, read again from the device. More on the device means it
 * was used since the backup; fewer, or a last record that reads differently, means the backup or
 * the register's memory must be looked at.
 */
export async function compareWithDevice(manifest: BackupManifest, port: BackupPort, signal: AbortSignal, dir?: string): Promise<DeviceComparison> {
  const holdings = await port.holdings(signal);
  const differences: DeviceDifference[] = [];
  const checkedRecords: RecordComparison[] = [];
  for (const section of port.sections()) {
    if (section.expected !== undefined) {
      const inBackup = manifest.kinds[section.kind]?.records ?? 0;
      if (inBackup !== section.expected) differences.push({ kind: section.kind, inBackup, onDevice: section.expected });
    }
    if (dir === undefined || section.reread === undefined || (manifest.kinds[section.kind]?.records ?? 0) === 0) continue;
    const stored = await lastLine(join(dir, `${section.kind}.jsonl`));
    if (stored === undefined) continue;
    const found = await section.reread(stored.seq, stored.record, signal);
    checkedRecords.push(!found.found
      ? { kind: section.kind, seq: stored.seq, outcome: 'absent' }
      : found.same ? { kind: section.kind, seq: stored.seq, outcome: 'same' } : { kind: section.kind, seq: stored.seq, outcome: 'changed', onDevice: found.onDevice });
  }
  const changedRecords = checkedRecords.filter((r) => r.outcome !== 'same');
  const lastDaily = { inBackup: manifest.kinds.daily?.lastDate, onDevice: holdings.lastDailyDate };
  const sameMachine = port.device.machineNumber === manifest.device.machineNumber;
  return {
    sameMachine, differences, lastDaily, checkedRecords, changedRecords,
    matches: sameMachine && differences.length === 0 && changedRecords.length === 0 && lastDaily.inBackup === lastDaily.onDevice,
  };
}
