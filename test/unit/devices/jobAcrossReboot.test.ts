import { afterEach, describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { powerCycleSimulatedRegister } from '../../../fixtures/simulator/powerCycle.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import type { JobEvent } from '../../../src/store/types.js';

const opened: { register: SimulatedRegister; registry: DeviceRegistry<RegisterSession>; store: Store }[] = [];
afterEach(async () => {
  for (const { register, registry, store } of opened.splice(0)) {
    await registry.close();
    await register.close();
    store.close();
  }
});

function until(check: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = () => (check() ? resolve() : setTimeout(poll, 10));
    poll();
  });
}

/** A gate the test opens when it wants the job to go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

describe('a job across a reboot and the bootloader', () => {
  it('keeps its lock and its progress stream while its register power-cycles and comes back in its bootloader; others get 409 with the job', async () => {
    const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 } });
    const registry = new DeviceRegistry<RegisterSession>({
      link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
    });
    const store = openStore(':memory:');
    opened.push({ register, registry, store });
    registry.add(register.transport, { simulated: true });
    const id = register.state.identity.machineNumber;
    await until(() => registry.get(id)?.state === 'online');
    const jobs = new JobRunner({ store });
    const port = createDevicePort(registry, jobs);

    const away = gate();
    const inBootloader = gate();
    const letGo = gate();
    const { job } = jobs.start({
      kind: 'upgrade-like', deviceId: id, operator: 'li', stages: [{ id: 'detach', weight: 1 }, { id: 'attach', weight: 1 }],
      run: (ctx) => port.withDevice(id, ctx.signal, async (device) => {
        ctx.stage('detach');
        const reboot = powerCycleSimulatedRegister(register, { offMs: 1500, into: 'bootloader', cable: 'drops' });
        ctx.waiting({ for: 'device', code: 'DEVICE_OFFLINE', message: { 'zh-CN': '收款机重启中', en: 'The register reboots' } });
        away.open();
        const boot = await device.reattach({ expect: 'bootloader', deadline: Date.now() + 10_000, onWaiting: (elapsed, allowed) => ctx.progress(elapsed / allowed, 'waiting for the bootloader') });
        await reboot;
        ctx.running();
        inBootloader.open();
        await letGo.wait;
        ctx.stage('attach');
        const home = powerCycleSimulatedRegister(register, { offMs: 1200 });
        const back = await device.reattach({ expect: 'application', deadline: Date.now() + 10_000, onWaiting: (elapsed, allowed) => ctx.progress(elapsed / allowed, 'waiting for the application') });
        await home;
        return { boot: boot.mode, back: back.mode, status: (await device.session.status()).initialized };
      }),
    });
    const events: JobEvent[] = [];
    jobs.events.subscribe(job.id, 0, (event) => events.push(event));

    await away.wait;
    // Away and owned: the registry says so, and nobody else gets the register.
    await until(() => registry.get(id)?.state === 'offline');
    expect(registry.get(id)?.jobId).toBe(job.id);
    expect(jobs.get(job.id)).toMatchObject({ state: 'waiting', waiting: { for: 'device', code: 'DEVICE_OFFLINE' } });
    expect(() => jobs.start({ kind: 'other', deviceId: id, operator: 'wang', stages: [{ id: 's', weight: 1 }], run: async () => 1 }))
      .toThrow(expect.objectContaining({ code: 'DEVICE_BUSY', data: { jobId: job.id } }));
    const stolen = await port.withDevice(id, new AbortController().signal, async () => 'stolen').catch((error: unknown) => error);
    expect(isGatewayError(stolen, 'DEVICE_BUSY') && stolen.data.jobId === job.id).toBe(true);

    await inBootloader.wait;
    expect(registry.get(id)).toMatchObject({ state: 'bootloader', jobId: job.id, identity: { machineNumber: id, firmwareVersion: '0.0.0' } });
    // The heartbeat (50 ms) leaves the owned register alone: it stays in the bootloader, the job's.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(registry.get(id)).toMatchObject({ state: 'bootloader', jobId: job.id });
    const again = await port.withDevice(id, new AbortController().signal, async () => 'stolen').catch((error: unknown) => error);
    expect(isGatewayError(again, 'DEVICE_BUSY')).toBe(true);
    letGo.open();

    const done = await jobs.settled(job.id);
    expect(done).toMatchObject({ state: 'succeeded', result: { boot: 'bootloader', back: 'application', status: false } });
    expect(registry.get(id)?.state).toBe('online');
    expect(registry.get(id)?.jobId).toBeUndefined();
    // The stream went on the whole time: progress while away, the wait and its end, one end.
    const types = events.map((e) => e.type);
    expect(types.filter((t) => t === 'end')).toHaveLength(1);
    expect(types).toEqual(expect.arrayContaining(['waiting', 'running']));
    const waitingProgress = events.filter((e) => e.type === 'progress' && typeof e.data.detail === 'string' && (e.data.detail as string).startsWith('waiting for'));
    expect(waitingProgress.length).toBeGreaterThanOrEqual(2);
  });
});
