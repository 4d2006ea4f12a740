import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { dayOf, fakeBackupPort } from './fakeBackupPort.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

describe('collectBackup', () => {
  it('reads every section into a backup that verifies, with counts and bounds, and no problems', async () => {
    const store = await tempStore();
    const progress: number[] = [];
    const { manifest } = await collectBackup(fakeBackupPort({ days: 40, invoicesPerDay: 30 }), store, { onProgress: (p) => progress.push(p.records) });
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds.invoices).toMatchObject({ records: 1200, expected: 1200, firstNumber: 1, lastNumber: 1200, firstDate: dayOf(0), lastDate: dayOf(39) });
    expect(manifest.kinds.daily.records).toBe(40);
    expect(manifest.kinds.rolls.records).toBe(2);
    expect(manifest.kinds['cards/user-EF01'].records).toBe(1);
    expect(progress.at(-1)).toBe(1 + 2 + 40 + 1200 + 1 + 1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect((await store.verify(manifest.id)).ok).toBe(true);
  });

  it('names a gap, a count mismatch and a bad signature in the manifest, and still commits', async () => {
    const store = await tempStore();
    const { manifest } = await collectBackup(fakeBackupPort({ dropInvoices: [17, 18], badSignatureDay: 5, overstateInvoices: true }), store);
    expect(manifest.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ check: 'count', kind: 'invoices', data: { expected: 91, actual: 88 } }),
      expect.objectContaining({ check: 'invoice-gap', data: expect.objectContaining({ from: 17, to: 18 }) }),
      expect.objectContaining({ check: 'record-check', kind: 'daily', seq: 5 }),
    ]));
    expect(manifest.problems).toHaveLength(3);
    expect((await store.list())[0].problems).toBe(3);
  });

  it('records an absent user card as a problem and carries on', async () => {
    const store = await tempStore();
    const { manifest } = await collectBackup(fakeBackupPort({ userCardAbsent: true }), store);
    expect(manifest.problems).toEqual([expect.objectContaining({ check: 'read', kind: 'cards/user-EF01', data: { code: 'TIMEOUT' } })]);
  });

  it('fails with BACKUP_READ_FAILED and leaves nothing when a required section cannot be read', async () => {
    const store = await tempStore();
    await expect(collectBackup(fakeBackupPort({ failKind: 'daily' }), store)).rejects.toSatisfy(
      (e) => isGatewayError(e, 'BACKUP_READ_FAILED') && e.params.what === 'daily',
    );
    expect(await store.list()).toEqual([]);
    expect(await readdir(join(store.root, sampleDevice.machineNumber))).toEqual([]);
  });

  it('stops on cancel with CANCELLED and leaves nothing', async () => {
    const store = await tempStore();
    const controller = new AbortController();
    await expect(collectBackup(fakeBackupPort({ abortAfterInvoices: { controller, count: 10 } }), store, { signal: controller.signal })).rejects.toSatisfy(
      (e) => isGatewayError(e, 'CANCELLED'),
    );
    expect(await readdir(join(store.root, sampleDevice.machineNumber))).toEqual([]);
  });
});
