import { describe, expect, it } from 'vitest';
import type { BackupDevices } from '../../../src/services/backup/BackupDevices.js';
import { backupStillCurrent, type ServiceRecordFacts } from '../../../src/services/backup/backupStillCurrent.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { ensureVerifiedBackup } from '../../../src/services/backup/ensureVerifiedBackup.js';
import { lendingPort } from '../../helpers/fakeDevicePort.js';
import { fakeBackupPort, type FakeRegisterOptions } from './fakeBackupPort.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

/** A backup of the fake register as it is, and a check of it against the register as `now` has it. */
async function setup(now: FakeRegisterOptions = {}) {
  const store = await tempStore();
  const { manifest } = await collectBackup(fakeBackupPort(), store, { signal: new AbortController().signal });
  const devices: BackupDevices = { port: lendingPort(), backupPortOf: async () => fakeBackupPort(now) };
  const summary = await store.get(manifest.id);
  const later = new Date(Date.parse(summary.createdAt) + 60_000).toISOString();
  const check = (history: readonly ServiceRecordFacts[]) =>
    backupStillCurrent({ store, devices, deviceId: sampleDevice.id, history, signal: new AbortController().signal })(summary);
  return { store, summary, later, check };
}

describe('backupStillCurrent: a backup is reused only while nothing has changed on the register since', () => {
  it('still current: the register holds what the backup holds and only reads were recorded since', async () => {
    const { check, later } = await setup();
    expect(await check([])).toBeUndefined();
    expect(await check([{ at: later, action: 'backup' }, { at: later, action: 'diagnostics' }])).toBeUndefined();
  });

  it('stale: a roll, a change, an initialization or a restore this gateway recorded since it was made', async () => {
    const { check, later, summary } = await setup();
    for (const action of ['roll', 'registration-change:basic-info', 'initialize', 'restore']) {
      expect(await check([{ at: later, action }])).toContain(action);
    }
    // A roll before the backup is in it.
    expect(await check([{ at: new Date(Date.parse(summary.createdAt) - 60_000).toISOString(), action: 'roll' }])).toBeUndefined();
  });

  it('stale: the register\'s record counts differ from the backup\'s (a change made elsewhere)', async () => {
    const { check } = await setup({ days: 31 });
    expect(await check([])).toMatch(/daily 30 in the backup \/ 31 on the register/);
  });

  it('the gate makes a new backup instead of reusing a stale one', async () => {
    const { store, summary, later } = await setup();
    const devices: BackupDevices = { port: lendingPort(), backupPortOf: async () => fakeBackupPort() };
    const stillCurrent = backupStillCurrent({ store, devices, deviceId: sampleDevice.id, history: [{ at: later, action: 'roll' }], signal: new AbortController().signal });
    let made = 0;
    const pass = await ensureVerifiedBackup(sampleDevice.id, store, async () => {
      made += 1;
      return collectBackup(fakeBackupPort(), store, { signal: new AbortController().signal });
    }, { operation: 'deregistration', stillCurrent, now: () => new Date(Date.parse(summary.createdAt) + 120_000) });
    expect(made).toBe(1);
    expect(pass.reused).toBe(false);
    expect(pass.backupId).not.toBe(summary.id);
  });
});
