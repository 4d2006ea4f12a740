import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import type { BorrowedDevice } from '../../../src/devices/DevicePort.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { deviceDiagnostics } from '../../../src/services/diagnostics/deviceDiagnostics.js';
import { clockFinding } from '../../../src/services/diagnostics/findings.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];
afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

/** A lent register whose clock is right and kept in `zone` (minutes east of UTC). */
async function registerIn(zone: number): Promise<BorrowedDevice> {
  const register = await createSimulatedRegister({ seed: 7, timing: { timed: false }, utcOffsetMinutes: zone });
  const session = await RegisterSession.open(register.transport);
  open.push({ register, session });
  return { id: 'tz', session } as unknown as BorrowedDevice;
}

describe('diagnostics read a register clock in the register time zone setting (was UTC+8 hard-coded)', () => {
  it('a register kept in UTC, with the setting at Z, has a right clock (not "-28800 s off")', async () => {
    const device = await registerIn(0);
    const finding = clockFinding(await deviceDiagnostics(device, 0).clock(new AbortController().signal), new Date());
    expect(finding.severity).toBe('ok');
    expect(finding.en).not.toMatch(/28[0-9]{3} s/);
  });

  it('a register kept in China Standard Time is right with the default setting', async () => {
    const device = await registerIn(480);
    expect(clockFinding(await deviceDiagnostics(device).clock(new AbortController().signal), new Date()).severity).toBe('ok');
  });

  it('a register whose zone differs from the setting shows the zones\' difference as skew, which a technician should see', async () => {
    const device = await registerIn(0);
    const finding = clockFinding(await deviceDiagnostics(device).clock(new AbortController().signal), new Date());
    expect(finding.severity).toBe('fault');
    expect(finding.en).toMatch(/-28[0-9]{3} s off/);
  });
});
