import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { checkManifest, measureImage } from '../../../protocols/fwpkg/index.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { reconcileUpgrade } from '../../../src/services/upgrade/reconcileUpgrade.js';
import { upgradeRun, type UpgradeResult } from '../../../src/services/upgrade/runUpgrade.js';
import { upgradeRequestSchema } from '../../../src/services/upgrade/upgradeRequest.js';
import type { UpgradeRunContext } from '../../../src/services/upgrade/UpgradeRunContext.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import type { JobRow } from '../../../src/store/types.js';

const opened: { register: SimulatedRegister; registry: DeviceRegistry<RegisterSession>; store: Store }[] = [];
afterEach(async () => {
  for (const { register, registry, store } of opened.splice(0)) {
    await registry.close();
    await register.close();
    store.close();
  }
});

const until = (check: () => boolean) => new Promise<void>((resolve) => {
  const poll = () => (check() ? resolve() : setTimeout(poll, 10));
  poll();
});

const PACKAGE_ID = 'ef'.repeat(16);
const image = Uint8Array.from({ length: 16_384 }, (_, i) => (i * 7 + 3) & 0xff);
const digest = measureImage(image);
const manifest = checkManifest({
  format: 'fiscal-fwpkg/1', vendor: 'Sim', models: ['SIM-ECR-200'], version: '2.4.0', versionLowest: '1.0.0', bootloaderLowest: '1.0.0',
  size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: ['serial'], releaseNotes: '', keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
});
const base = { packageId: PACKAGE_ID, from: '2.3.1', to: '2.4.0', sha256: digest.sha256, size: image.length, backupId: 'backup-0', kind: 'upgrade' } as const;

async function harness() {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 } });
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  opened.push({ register, registry, store });
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(() => registry.get(id)?.state === 'online');
  const devices = createDevicePort(registry, new JobRunner({ store }));
  return { register, id, devices };
}

/** The job context of a run the runner resumed (ctx.resumedFrom = the checkpoint), recording what it was told. */
function resumedContext(deviceId: string, resumedFrom: Record<string, unknown>) {
  const checkpoints: Record<string, unknown>[] = [];
  const ctx: UpgradeRunContext = {
    deviceId, signal: new AbortController().signal, resumedFrom,
    stage: () => undefined, progress: () => undefined, record: () => undefined, throwIfCancelled: () => undefined,
    checkpoint: (data) => { checkpoints.push(data); }, waiting: () => undefined, running: () => undefined,
  };
  return { ctx, checkpoints };
}

describe('an upgrade interrupted by a restart (reconcile, src/jobs/ENGINE.md)', () => {
  it('mid-write: resumed from the offset the register reports; nothing before it is sent again; the checkpointed backup is kept', async () => {
    const { register, id, devices } = await harness();
    const signal = new AbortController().signal;
    // The previous process began the transfer and wrote four blocks, then died.
    await devices.withDevice(id, signal, async (device) => {
      await device.session.firmwareBegin({ size: image.length, sha256: Uint8Array.from(Buffer.from(digest.sha256, 'hex')), version: '2.4.0', model: 'SIM-ECR-200' });
      for (let offset = 0; offset < 8192; offset += 2048) await device.session.firmwareWrite({ offset, data: image.subarray(offset, offset + 2048) });
    });
    const job = { checkpoint: { ...base, phase: 'write', offset: 8192 } } as unknown as JobRow;
    const run = upgradeRun({
      packages: { forUse: async () => ({ packageId: PACKAGE_ID, manifest, image }) },
      backupGate: () => ({ pass: () => Promise.reject(new Error('the resumed run keeps the backup its checkpoint names')) }),
      devices, rebootMs: 5_000, trialSeconds: 5,
    }, upgradeRequestSchema.parse({ package: PACKAGE_ID }));
    const outcome = await devices.withDevice(id, signal, (device) => reconcileUpgrade(job, device, run));
    expect(outcome.state).toBe('resume');
    const { ctx } = resumedContext(id, job.checkpoint as Record<string, unknown>);
    const result = await (outcome as { run: (c: UpgradeRunContext) => Promise<UpgradeResult> }).run(ctx);
    expect(result).toMatchObject({ after: '2.4.0', backupId: 'backup-0', confirmed: true });
    expect(result.write).toMatchObject({ startedAt: 8192, bytesSent: image.length - 8192 });
    expect(register.simulator.firmware.running.version).toBe('2.4.0');

    // Back again after it had confirmed: the reconcile finds it done, without running anything.
    const done = { checkpoint: { ...base, phase: 'confirming', offset: image.length } } as unknown as JobRow;
    const settled = await devices.withDevice(id, signal, (device) => reconcileUpgrade(done, device, run));
    expect(settled).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', confirmed: true, path: 'serial' } });
    // The result names the path the checkpoint names (a stick or card job reconciled the same way).
    const byStick = { checkpoint: { ...base, phase: 'confirming', offset: image.length, path: 'usb-stick' } } as unknown as JobRow;
    expect(await devices.withDevice(id, signal, (device) => reconcileUpgrade(byStick, device, run))).toMatchObject({ state: 'succeeded', result: { path: 'usb-stick' } });
  });
});
