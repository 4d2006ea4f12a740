import { join } from 'node:path';
import { BackupStore } from '../../../src/services/backup/BackupStore.js';
import type { CommittedBackup } from '../../../src/services/backup/BackupWriter.js';
import { temporaryDirectory } from '../../helpers/temporaryDirectories.js';

export const sampleDevice = { id: '1234567890123456', machineNumber: '1234567890123456', model: 'SIM-1', firmwareVersion: '1.2.3' };

export async function tempStore(): Promise<BackupStore> {
  return new BackupStore(join(temporaryDirectory('fg-backup-'), 'backups'));
}

/** A small backup with register kinds, a card kind and raw chunks. */
export async function writeSampleBackup(store: BackupStore, at = new Date('2026-11-22T08:00:00.000Z')): Promise<CommittedBackup> {
  const writer = await store.begin({ device: sampleDevice, now: () => at });
  const raw = await writer.appendRaw('factory', Uint8Array.from([0x12, 0x34, 0x56]));
  await writer.appendRecord('factory', { machineNumber: sampleDevice.machineNumber, model: 'SIM-1' }, { raw });
  for (let n = 1; n <= 5; n++) {
    const chunk = await writer.appendRaw('invoices', Uint8Array.from([n, n, n]));
    await writer.appendRecord('invoices', { number: n, amount: 100 * n, bytes: Uint8Array.from([n]) }, { raw: chunk, number: n, date: `2026-11-0${n}` });
  }
  await writer.setExpected('invoices', 5);
  await writer.appendRecord('cards/fiscal-EF02', { cardNumber: '0000000000000001' });
  return writer.commit();
}
