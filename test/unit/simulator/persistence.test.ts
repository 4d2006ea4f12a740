import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { loadRegisterState } from '../../../fixtures/simulator/state/persistence.js';
import { createRegisterWithHistory, prepareSimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { VirtualClock } from '../../../fixtures/simulator/SimulatorClock.js';
import { status } from '../../../protocols/gb-link/payloads/status.js';
import { invoicesByIndex } from '../../../protocols/gb-link/payloads/records.js';
import { firmwareBegin, firmwareWrite } from '../../../protocols/gb-link/payloads/firmware.js';
import { CMD } from '../../../protocols/gb-link/commandCodes.js';
import { HostLink } from './hostLink.js';
import { startHarness } from './simulatorHarness.js';

const dir = mkdtempSync(join(tmpdir(), 'fiscal-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function reopen(path: string): Promise<{ sim: RegisterSimulator; link: HostLink }> {
  const { host, device } = createMemoryTransportPair();
  const sim = new RegisterSimulator({ state: await loadRegisterState(path), clock: new VirtualClock(), timing: { timed: false } });
  await sim.attach(device);
  await host.open();
  return { sim, link: new HostLink(host) };
}

describe('simulator persistence', () => {
  it('a saved register comes back with the same state and answers the same', async () => {
    const reg = await createRegisterWithHistory({ seed: 31, clock: new VirtualClock(), timing: { timed: false }, history: { days: 30, invoicesPerDay: 5 } });
    await reg.transport.open();
    const link = new HostLink(reg.transport);
    const before = await link.call(status, undefined);
    const invoices = await link.call(invoicesByIndex, { from: 1, count: 1000 });
    const path = join(dir, 'reg.json');
    await reg.simulator.save(path);
    const again = await reopen(path);
    expect(again.sim.snapshot()).toEqual(reg.simulator.snapshot());
    expect(await again.link.call(status, undefined)).toEqual({ ...before, fiscalSlot: 'empty', userSlot: 'empty' });
    expect(await again.link.call(invoicesByIndex, { from: 1, count: 1000 })).toEqual(invoices);
    const cards = prepareSimulatedRegister({ state: await loadRegisterState(path) }).cards;
    expect(cards.fiscal.snapshot()).toEqual(reg.cards.fiscal.snapshot());
    await reg.close();
  });

  it('a half-written upgrade resumes after a restart', async () => {
    const image = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const sha256 = Uint8Array.from(createHash('sha256').update(image).digest());
    const header = { size: image.length, sha256, version: '2.5.0', model: 'SIM-ECR-200' };
    const { sim, link } = await startHarness({
      simulator: { timing: { turnaroundMs: 0 }, faults: { faults: [{ kind: 'power-loss', after: 1, fraction: 0.25, offMs: 0 }] } },
    });
    await link.call(firmwareBegin, header);
    await link.call(firmwareWrite, { offset: 0, data: image.subarray(0, 2048) });
    const booted = new Promise<void>((resolve) => sim.onEvent((e) => { if (e.type === 'boot') resolve(); }));
    void link.request(CMD.FIRMWARE, firmwareWrite.request.encode({ offset: 2048, data: image.subarray(2048, 4096) }));
    await booted;
    const path = join(dir, 'torn.json');
    await sim.save(path);
    const again = await reopen(path);
    expect(again.sim.state.firmware.staged).toMatchObject({ committed: 2048, torn: true });
    expect((await again.link.call(firmwareBegin, header)).resumeOffset).toBe(2048);
  });

  it('refuses a file that is not a register state', async () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ format: 'something else' }));
    await expect(loadRegisterState(path)).rejects.toSatisfy((error: unknown) => isGatewayError(error, 'DECODE_ERROR'));
    writeFileSync(path, '{ not json');
    await expect(loadRegisterState(path)).rejects.toSatisfy((error: unknown) => isGatewayError(error, 'DECODE_ERROR'));
  });
});
