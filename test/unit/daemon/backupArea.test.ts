import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { backupArea, type BackupArea } from '../../../src/daemon/areas/backup.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { silentLogger } from '../../../src/log.js';
import { withBackupPort } from '../../../src/services/backup/BackupDevices.js';

/**
 * The backup area borrows its register through the DevicePort: while another borrower holds the register, a
 * backup waiting for it stops as soon as its job is cancelled (the old wiring ignored the signal and waited on).
 */
let register: SimulatedRegister;
let registry: DeviceRegistry<RegisterSession>;
let area: BackupArea;
let dataDir: string;
let id: string;

beforeAll(async () => {
  register = await createSimulatedRegister({ seed: 21, timing: { timed: false } });
  id = register.state.identity.machineNumber;
  registry = new DeviceRegistry<RegisterSession>({ link: registerSessionLink(), heartbeatMs: 0 });
  registry.add(register.transport, { simulated: true });
  for (let i = 0; i < 200 && registry.get(id)?.state !== 'online'; i++) await new Promise((r) => setTimeout(r, 20));
  dataDir = await mkdtemp(join(tmpdir(), 'fg-backup-area-'));
  area = await backupArea({ devices: createDevicePort(registry), registers: registry, dataDir, logger: silentLogger });
});

afterAll(async () => {
  await registry.close();
  await register.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('backup area: borrowing through the DevicePort', () => {
  it('stops waiting for a register someone else holds when its signal is aborted, and never touches it', async () => {
    const holder = await registry.borrow(id);
    try {
      const controller = new AbortController();
      let lent = false;
      const waiting = withBackupPort(area.devices, id, controller.signal, async () => { lent = true; });
      controller.abort(new GatewayError('CANCELLED'));
      await expect(waiting).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(lent).toBe(false);
    } finally {
      holder.release();
    }
    // Given back: the next borrower is lent the register.
    const holdings = await withBackupPort(area.devices, id, new AbortController().signal, (port) => port.holdings(new AbortController().signal));
    expect(holdings).toBeDefined();
  });
});
