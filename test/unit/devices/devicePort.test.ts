import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { MemoryTransport } from '../../../drivers/memory/MemoryTransportPair.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { powerCycleSimulatedRegister } from '../../../fixtures/simulator/powerCycle.js';
import { RegisterSimulator } from '../../../fixtures/simulator/RegisterSimulator.js';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import { runAsOwner } from '../../../src/devices/lease/leaseScope.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';

const fastLink = () => registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 });

interface Bench {
  readonly register: SimulatedRegister;
  readonly registry: DeviceRegistry<RegisterSession>;
  readonly id: string;
}

const benches: Bench[] = [];
afterEach(async () => {
  for (const bench of benches.splice(0)) {
    await bench.registry.close();
    await bench.register.close();
  }
});

function until(registry: DeviceRegistry<RegisterSession>, predicate: () => boolean): Promise<void> {
  if (predicate()) return Promise.resolve();
  return new Promise((resolve) => {
    const stop = registry.onEvent(() => {
      if (predicate()) {
        stop();
        resolve();
      }
    });
  });
}

async function bench(): Promise<Bench> {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 } });
  const registry = new DeviceRegistry<RegisterSession>({ link: fastLink(), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 0 });
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(registry, () => registry.get(id)?.state === 'online');
  const made = { register, registry, id };
  benches.push(made);
  return made;
}

const never = new AbortController().signal;

/** Another client: its requests are made outside the owner's scope (a `then` callback runs where it was attached). */
function outsider(port: ReturnType<typeof createDevicePort>, id: string): { ask(): Promise<unknown> } {
  let pending: { resolve: (value: unknown) => void } | undefined;
  let trigger!: () => void;
  const armed = () => new Promise<void>((resolve) => { trigger = resolve; });
  let gate = armed();
  const serve = (): void => {
    void gate.then(() => port.withDevice(id, never, async () => 'stolen').catch((error: unknown) => error)).then((answer) => {
      pending?.resolve(answer);
      gate = armed();
      serve();
    });
  };
  serve();
  return {
    ask: () => new Promise((resolve) => {
      pending = { resolve };
      trigger();
    }),
  };
}

describe('DevicePort over the registry', () => {
  it('shows an owned device in maintenance, lends it re-entrantly to its owner and answers anyone else DEVICE_BUSY with the job', async () => {
    const { registry, id } = await bench();
    const port = createDevicePort(registry);
    expect(registry.owners.tryAcquire(id, 'job-1')).toBeUndefined();
    expect(registry.get(id)).toMatchObject({ state: 'maintenance', jobId: 'job-1' });

    const other = await port.withDevice(id, never, async () => 'lent').catch((error: unknown) => error);
    expect(isGatewayError(other, 'DEVICE_BUSY')).toBe(true);
    expect((other as { data: { jobId: string } }).data.jobId).toBe('job-1');

    const machine = await runAsOwner('job-1', () => port.withDevice(id, never, (outer) =>
      port.withDevice(id, never, async (inner) => {
        expect(inner.session).toBe(outer.session);
        return (await inner.session.factoryData()).machineNumber;
      })));
    expect(machine).toBe(id);

    registry.owners.release(id, 'job-1');
    expect(registry.get(id)?.state).toBe('online');
    expect(registry.get(id)?.jobId).toBeUndefined();
    expect(await port.withDevice(id, never, async (device) => device.identity.machineNumber)).toBe(id);
  });

  it('a waiting borrower gives up when its signal aborts', async () => {
    const { registry, id } = await bench();
    const port = createDevicePort(registry);
    let letGo!: () => void;
    const first = port.withDevice(id, never, () => new Promise<void>((resolve) => { letGo = resolve; }));
    const controller = new AbortController();
    const second = port.withDevice(id, controller.signal, async () => 'never lent');
    controller.abort(new Error('client went away'));
    await expect(second).rejects.toThrow('client went away');
    letGo();
    await first;
    expect(await port.withDevice(id, never, async () => 'free again')).toBe('free again');
  });

  it('keeps the loan across a power cycle (line silent) and a reboot into the bootloader with the cable dropping', async () => {
    const { register, registry, id } = await bench();
    const port = createDevicePort(registry);
    registry.owners.tryAcquire(id, 'job-2');
    const client = outsider(port, id);
    const ticks: number[] = [];
    const states: string[] = [];
    const stop = registry.onEvent((event) => {
      if (event.type !== 'removed' && event.device.id === id) states.push(event.device.state);
    });
    await runAsOwner('job-2', () => port.withDevice(id, never, async (device) => {
      const before = device.session;
      const cycle = powerCycleSimulatedRegister(register, { offMs: 1200 });
      const back = await device.reattach({ expect: 'application', deadline: Date.now() + 10_000, onWaiting: (elapsed) => ticks.push(elapsed) });
      await cycle;
      expect(back.mode).toBe('application');
      expect(device.session).not.toBe(before);
      expect((await device.session.status()).initialized).toBe(false);

      // Meanwhile nobody else could take it.
      expect(await client.ask()).toMatchObject({ code: 'DEVICE_BUSY', data: { jobId: 'job-2' } });

      const boot = powerCycleSimulatedRegister(register, { offMs: 100, into: 'bootloader', cable: 'drops' });
      const inBootloader = await device.reattach({ expect: 'bootloader', deadline: Date.now() + 10_000 });
      await boot;
      expect(inBootloader.mode).toBe('bootloader');
      expect(inBootloader.identity.machineNumber).toBe(id);
      expect(registry.get(id)).toMatchObject({ state: 'bootloader', jobId: 'job-2' });
      await expect(device.session.status()).rejects.toMatchObject({ code: 'LINK_UNKNOWN_COMMAND' });
      expect(await client.ask()).toMatchObject({ code: 'DEVICE_BUSY', data: { jobId: 'job-2' } });

      const home = powerCycleSimulatedRegister(register, { offMs: 50, into: 'application' });
      expect((await device.reattach({ expect: 'application', deadline: Date.now() + 10_000 })).mode).toBe('application');
      await home;
    }));
    stop();
    expect(ticks.length).toBeGreaterThanOrEqual(2);
    expect(states).toContain('offline');
    expect(states).toContain('bootloader');
    expect(registry.get(id)).toMatchObject({ state: 'maintenance', jobId: 'job-2' });
  });

  it('never hands the loan to another machine that answers on the same port', async () => {
    const { register, registry, id } = await bench();
    const port = createDevicePort(registry);
    registry.owners.tryAcquire(id, 'job-3');
    const device = (register.transport as MemoryTransport).peer;
    const stranger = new RegisterSimulator({ state: createFactoryState({ seed: 42 }), timing: { timed: false } });
    const strangerId = stranger.state.identity.machineNumber;
    expect(strangerId).not.toBe(id);
    const outcome = await runAsOwner('job-3', () => port.withDevice(id, never, async (loan) => {
      register.simulator.detach();
      await stranger.attach(device);
      return loan.reattach({ expect: 'either', deadline: Date.now() + 1500 }).catch((error: unknown) => error);
    }));
    expect(isGatewayError(outcome, 'DEVICE_REATTACH_TIMEOUT')).toBe(true);
    await until(registry, () => registry.get(strangerId)?.state === 'online');
    expect(registry.get(id)).toMatchObject({ state: 'offline', jobId: 'job-3' });
    stranger.detach();
  });
});
