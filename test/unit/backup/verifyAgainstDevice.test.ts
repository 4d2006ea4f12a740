import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { BackupDevices } from '../../../src/services/backup/BackupDevices.js';
import { borrowedDevice } from '../../helpers/fakeDevicePort.js';
import type { BackupPort } from '../../../src/services/backup/BackupPort.js';
import { verifyBackupAgainstDevice, type RegisterAvailability } from '../../../src/services/backup/verifyBackupAgainstDevice.js';
import { fakeBackupPort } from './fakeBackupPort.js';
import { sampleDevice, tempStore, writeSampleBackup } from './sampleBackup.js';

/** Access that counts the loans it makes, so a test can tell whether the register was borrowed. */
function countingAccess() {
  const borrowed: string[] = [];
  const access: BackupDevices = {
    port: {
      withDevice: (id, _signal, fn) => {
        borrowed.push(id);
        return fn(borrowedDevice(id));
      },
    },
    backupPortOf: async (): Promise<BackupPort> => fakeBackupPort(),
    restoreTargetOf: (device) => Promise.reject(new GatewayError('DEVICE_OFFLINE', { params: { id: device.id } })),
  };
  return { access, borrowed };
}

async function setup(registers: RegisterAvailability) {
  const store = await tempStore();
  const { manifest } = await writeSampleBackup(store);
  const { access, borrowed } = countingAccess();
  const verify = (compareWithDevice: boolean) => verifyBackupAgainstDevice({ store, devices: access, registers }, manifest.id, { compareWithDevice });
  return { verify, borrowed, id: manifest.id };
}

const idle: RegisterAvailability = { isOnline: () => true, runningJob: () => undefined };

describe('verifyBackupAgainstDevice', () => {
  it('compares with the register the backup came from when it is online and idle', async () => {
    const { verify, borrowed, id } = await setup(idle);
    const report = await verify(true);
    expect(report).toMatchObject({ id, ok: true, failures: [], device: { compared: true, sameMachine: expect.any(Boolean) } });
    expect(borrowed).toEqual([sampleDevice.id]);
  });

  it('does not borrow the register when not asked, when it is offline, or when a job runs on it, and says why', async () => {
    const notAsked = await setup(idle);
    expect((await notAsked.verify(false)).device).toEqual({ compared: false, reason: 'not asked' });
    const offline = await setup({ isOnline: () => false, runningJob: () => undefined });
    expect((await offline.verify(true)).device).toEqual({ compared: false, reason: 'register not connected' });
    const busy = await setup({ isOnline: () => true, runningJob: (deviceId) => (deviceId === sampleDevice.id ? 'job-7' : undefined) });
    expect((await busy.verify(true)).device).toEqual({ compared: false, reason: 'register busy with job job-7' });
    expect([...notAsked.borrowed, ...offline.borrowed, ...busy.borrowed]).toEqual([]);
  });
});
