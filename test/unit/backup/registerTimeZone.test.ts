import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { openRegisterBackupPort } from '../../../src/services/backup/registerBackupPort.js';
import { tempStore } from './sampleBackup.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

/** A backup of a new register whose clock runs in `registerZone`, read under the gateway setting `setting`. */
async function backupClock(registerZone: number, setting: number | undefined) {
  const register = await createSimulatedRegister({ seed: 5, timing: { timed: false }, utcOffsetMinutes: registerZone });
  const session = await RegisterSession.open(register.transport);
  open.push({ register, session });
  const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false, ...(setting === undefined ? {} : { utcOffsetMinutes: setting }) }), await tempStore());
  const [line] = (await readFile(join(dir, 'datetime.jsonl'), 'utf8')).trim().split('\n').map((text) => JSON.parse(text) as { record: { dateTime: string; at: string } });
  return { manifest, record: line!.record, offMs: Date.parse(line!.record.at) - Date.now() };
}

describe('a backup reads register-local times in the register time zone setting', () => {
  it('records the zone in the manifest and the instant of the register clock: UTC+8 by default', async () => {
    const { manifest, record, offMs } = await backupClock(480, undefined);
    expect(manifest.device.utcOffset).toBe('+08:00');
    expect(record.at).toMatch(/Z$/);
    expect(Math.abs(offMs)).toBeLessThan(10 * 60_000);
  });

  it('a register in UTC, with the setting at Z, is read right (not eight hours off)', async () => {
    const { manifest, offMs } = await backupClock(0, 0);
    expect(manifest.device.utcOffset).toBe('+00:00');
    expect(Math.abs(offMs)).toBeLessThan(10 * 60_000);
    const wrong = await backupClock(0, 480);
    expect(Math.round(wrong.offMs / 3_600_000)).toBe(-8);
  });
});
