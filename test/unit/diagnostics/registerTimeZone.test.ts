import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import type { BorrowedDevice } from '../../../src/devices/DevicePort.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { deviceDiagnostics } from '../../../src/services/diagnostics/deviceDiagnostics.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

/** Seconds the register clock read through diagnostics is off this PC. */
async function skewSeconds(device: BorrowedDevice, setting?: number): Promise<number> {
  const port = setting === undefined ? deviceDiagnostics(device) : deviceDiagnostics(device, setting);
  return Math.round(((await port.clock(new AbortController().signal)).getTime() - Date.now()) / 1000);
}

/** A lent register whose clock is right and kept in `zone` (minutes east of UTC). */
async function registerIn(zone: number): Promise<BorrowedDevice> {
  const register = await createSimulatedRegister({ seed: 7, timing: { timed: false }, utcOffsetMinutes: zone });
  const session = await RegisterSession.open(register.transport);
  open.push({ register, session });
  return { id: 'tz', session } as unknown as BorrowedDevice;
}

describe('diagnostics read a register clock in the register time zone setting (was UTC+8 hard-coded)', () => {
  it('a register kept in UTC, with the setting at Z, has a right clock (not "-28800 s off")', async () => {
    expect(Math.abs(await skewSeconds(await registerIn(0), 0))).toBeLessThanOrEqual(60);
  });

  it('a register kept in China Standard Time is right with the default setting', async () => {
    expect(Math.abs(await skewSeconds(await registerIn(480)))).toBeLessThanOrEqual(60);
  });

  it('a register whose zone differs from the setting shows the zones\' difference as skew, which a technician should see', async () => {
    expect(Math.round((await skewSeconds(await registerIn(0))) / 3600)).toBe(-8);
  });
});
