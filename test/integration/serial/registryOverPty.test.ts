import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeviceState } from '../../../src/devices/Device.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { DeviceDiscovery } from '../../../src/devices/discovery/DeviceDiscovery.js';
import { parseDiscoveryConfig } from '../../../src/devices/discovery/discoveryConfig.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { socatMissingReason, startPtyPair, type PtyPair } from '../../helpers/socat.js';
import { startSimulatorProcess, type SimulatorProcess } from './simulatorProcess.js';

const missing = socatMissingReason();

function stateOf(registry: DeviceRegistry<RegisterSession>, id: string, wanted: DeviceState): Promise<void> {
  if (registry.get(id)?.state === wanted) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = registry.onEvent(() => {
      if (registry.get(id)?.state === wanted) {
        stop();
        resolve();
      }
    });
  });
}

describe.skipIf(missing !== undefined)(`discovery and registry over a socat pty${missing ? ` (skipped: ${missing})` : ''}`, () => {
  const folder = mkdtempSync(join(tmpdir(), 'fiscal-reg-'));
  const started: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const each of started.reverse()) await each.stop();
    rmSync(folder, { recursive: true, force: true });
  });

  async function plugRegister(): Promise<{ pty: PtyPair; simulator: SimulatorProcess }> {
    const pty = await startPtyPair(5000, folder);
    started.push(pty);
    const simulator = await startSimulatorProcess(['--port', pty.b, '--baud', '115200', '--seed', '5', '--untimed']);
    started.push(simulator);
    return { pty, simulator };
  }

  it('finds the allowed port, identifies the register, marks it offline when it goes silent or is unplugged, and takes it back each time', async () => {
    let { simulator } = await plugRegister();
    const id = simulator.ready.machineNumber;
    const discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: [join(folder, 'A')], pollIntervalMs: 100, baudRate: 115200, buses: [] }));
    const registry = new DeviceRegistry({
      link: registerSessionLink({ replyTimeoutMs: 500, retries: 1, settleMs: 50 }),
      discovery,
      heartbeatMs: 200,
      backoff: { initialMs: 100, maxMs: 400 },
    });
    started.push({ stop: () => registry.close() });
    registry.start();

    await stateOf(registry, id, 'online');
    expect(registry.get(id)).toMatchObject({ transport: { kind: 'serial', path: join(folder, 'A') }, identity: { machineNumber: id }, simulated: false });
    expect((await registry.withSession(id, (session) => session.factoryData())).machineNumber).toBe(id);

    // The register is switched off; the line stays (an RS-232 cable): the heartbeat notices.
    await simulator.stop();
    await stateOf(registry, id, 'offline');
    await expect(registry.borrow(id)).rejects.toMatchObject({ code: 'DEVICE_OFFLINE' });
    simulator = await startSimulatorProcess(['--port', join(folder, 'B'), '--baud', '115200', '--seed', '5', '--untimed']);
    started.push(simulator);
    await stateOf(registry, id, 'online');

    // The cable is pulled (the pty pair goes away), then a new one is plugged in where it was.
    await started.find((each) => 'folder' in each)!.stop();
    await stateOf(registry, id, 'offline');
    expect(registry.get(id)!.lastError?.code).toBe('TRANSPORT_UNPLUGGED');
    await plugRegister();
    await stateOf(registry, id, 'online');
    expect(registry.list().map((device) => device.id)).toEqual([id]);
  }, 60_000);
});
