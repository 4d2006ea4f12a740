import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedStick } from '../../../fixtures/simulate/SimulatedStick.js';
import { StickTechnician } from '../../../fixtures/simulate/StickTechnician.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { findRemovableVolumes } from '../../../drivers/stick/RemovableVolumes.js';
import { upgradeStick } from '../../../src/daemon/areas/upgradeStick.js';
import { stickPackagePath, type StickHandover } from '../../../src/services/upgrade/UpgradeStick.js';
import { signedPackage, vendorPublic } from '../../helpers/stickUpgradeHarness.js';

const registers: SimulatedRegister[] = [];
afterEach(async () => {
  for (const register of registers.splice(0)) await register.close();
});

describe('the simulated technician and the one simulated stick', () => {
  it('is a removable volume while in the gateway and none while away; carries it to each register told, one after the other, never twice for the same instruction', async () => {
    const stick = await SimulatedStick.create(await mkdtemp(join(tmpdir(), 'fg-sim-stick-')));
    expect((await findRemovableVolumes(stick.roots)).map((v) => [v.mountPoint, v.disk, v.readOnly])).toEqual([[stick.volume, 'sdz', false]]);
    for (let seed = 1; seed <= 2; seed += 1) registers.push(await createSimulatedRegister({ seed, timing: { timed: false, rebootMs: 5 } }));
    const [a, b] = registers.map((r) => r.simulator);
    const file = stickPackagePath('SIM-ECR-200', '2.4.0');
    await upgradeStick({ roots: stick.roots }).copy((await signedPackage('2.4.0')).fwpkg!, file);
    const present: boolean[] = [];
    const technician = new StickTechnician({
      stick, moveMs: 10, trustedKeys: async () => [vendorPublic],
      registers: new Map([[a!.state.identity.machineNumber, a!], [b!.state.identity.machineNumber, b!]]),
      onCarry: async () => { present.push((await findRemovableVolumes(stick.roots)).length > 0); },
    });
    const to = (machineNumber: string): StickHandover => ({ jobDeviceId: machineNumber, machineNumber, model: 'SIM-ECR-200', version: '2.4.0', mountPoint: stick.volume, file });
    technician.told(to(a!.state.identity.machineNumber));
    technician.told(to(b!.state.identity.machineNumber));
    technician.told(to(a!.state.identity.machineNumber));
    await technician.idle();
    expect(technician.trips.map((trip) => [trip.handover.machineNumber, trip.outcome.installed])).toEqual([
      [a!.state.identity.machineNumber, true], [b!.state.identity.machineNumber, true],
    ]);
    // While in a register the gateway does not see the stick; it is back afterwards.
    expect(present).toEqual([false, false]);
    expect(stick.present).toBe(true);
    expect(a!.firmware.running.version).toBe('2.4.0');
    expect(b!.firmware.running.version).toBe('2.4.0');
  });

  it('a read-only stick is found read-only', async () => {
    const stick = await SimulatedStick.create(await mkdtemp(join(tmpdir(), 'fg-sim-stick-ro-')), { readOnly: true });
    expect((await findRemovableVolumes(stick.roots))[0]?.readOnly).toBe(true);
  });
});
