import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { ensureVerifiedBackup } from '../../../src/services/backup/ensureVerifiedBackup.js';
import { fakeBackupPort } from './fakeBackupPort.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

const T0 = new Date('2026-11-22T08:00:00Z');
const at = (minutes: number) => () => new Date(T0.getTime() + minutes * 60_000);

describe('backup gate', () => {
  it('makes and verifies a backup when there is none', async () => {
    const store = await tempStore();
    let made = 0;
    const pass = await ensureVerifiedBackup(sampleDevice.id, store, () => {
      made++;
      return collectBackup(fakeBackupPort(), store, { now: at(0) });
    }, { operation: 'upgrade', now: at(0) });
    expect(made).toBe(1);
    expect(pass).toMatchObject({ reused: false, problems: 0 });
    expect((await store.get(pass.backupId)).deviceId).toBe(sampleDevice.id);
  });

  it('reuses a verified backup younger than the max age, and makes a new one when it is older', async () => {
    const store = await tempStore();
    const first = await collectBackup(fakeBackupPort(), store, { now: at(0) });
    const make = () => collectBackup(fakeBackupPort(), store, { now: at(61) });
    const young = await ensureVerifiedBackup(sampleDevice.id, store, make, { operation: 'upgrade', now: at(59) });
    expect(young).toMatchObject({ backupId: first.manifest.id, reused: true });
    const old = await ensureVerifiedBackup(sampleDevice.id, store, make, { operation: 'upgrade', now: at(61) });
    expect(old.reused).toBe(false);
    expect(old.backupId).not.toBe(first.manifest.id);
    const forced = await ensureVerifiedBackup(sampleDevice.id, store, make, { operation: 'upgrade', now: at(62), forceNew: true, maxAgeMs: 10 * 3600_000 });
    expect(forced.reused).toBe(false);
  });

  it('does not reuse a recent backup that no longer verifies', async () => {
    const store = await tempStore();
    const damaged = await collectBackup(fakeBackupPort(), store, { now: at(0) });
    const file = join(damaged.dir, 'daily.raw');
    const bytes = await readFile(file);
    bytes[20] ^= 1;
    await writeFile(file, bytes);
    const pass = await ensureVerifiedBackup(sampleDevice.id, store, () => collectBackup(fakeBackupPort(), store, { now: at(1) }), { operation: 'repair', now: at(1) });
    expect(pass.reused).toBe(false);
    expect(pass.backupId).not.toBe(damaged.manifest.id);
  });

  it('stops the operation with BACKUP_GATE_FAILED when the backup cannot be made', async () => {
    const store = await tempStore();
    await expect(ensureVerifiedBackup(sampleDevice.id, store, () => collectBackup(fakeBackupPort({ failKind: 'invoices' }), store), { operation: 'deregistration' }))
      .rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_GATE_FAILED') && e.params.operation === 'deregistration' && String(e.params.detail).startsWith('BACKUP_READ_FAILED'));
  });

  it('stops the operation when the new backup does not verify', async () => {
    const store = await tempStore();
    const make = async () => {
      const made = await collectBackup(fakeBackupPort(), store);
      await writeFile(join(made.dir, 'invoices.jsonl'), 'tampered\n');
      return made;
    };
    await expect(ensureVerifiedBackup(sampleDevice.id, store, make, { operation: 'upgrade' }))
      .rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_GATE_FAILED') && String(e.params.detail).includes('invoices.jsonl'));
  });

  it('passes a cancel through unchanged', async () => {
    const store = await tempStore();
    await expect(ensureVerifiedBackup(sampleDevice.id, store, async () => { throw new GatewayError('CANCELLED'); }, { operation: 'upgrade' }))
      .rejects.toSatisfy((e) => isGatewayError(e, 'CANCELLED'));
  });
});
