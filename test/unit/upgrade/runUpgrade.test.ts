import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { checkManifest, measureImage } from '../../../protocols/fwpkg/index.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import type { BackupGate } from '../../../src/services/common/BackupGate.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages, type UpgradeResult } from '../../../src/services/upgrade/runUpgrade.js';
import { upgradeRequestSchema } from '../../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../../src/services/upgrade/UpgradePackages.js';
import { serialTransfer } from '../../../src/services/upgrade/serialTransfer.js';
import type { UpgradeTransfer, UpgradeTransfers } from '../../../src/services/upgrade/UpgradeTransfer.js';
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

const PACKAGE_ID = 'ab'.repeat(16);

/** A package as the packages area hands it over (verified already): an image of `size` bytes for the simulator's model. */
function packageOf(version: string, options: { size?: number; models?: string[]; paths?: ('serial' | 'usb-stick' | 'ic-card')[] } = {}): PackageForUse {
  const image = Uint8Array.from({ length: options.size ?? 20_000 }, (_, i) => (i * 31 + version.length) & 0xff);
  const digest = measureImage(image);
  const manifest = checkManifest({
    format: 'fiscal-fwpkg/1', vendor: 'Sim', models: options.models ?? ['SIM-ECR-200'], version, versionLowest: '1.0.0', bootloaderLowest: '1.0.0',
    size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: options.paths ?? ['serial', 'usb-stick'], releaseNotes: '',
    keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
  });
  return { packageId: PACKAGE_ID, manifest, image };
}

async function harness(options: { faults?: Parameters<typeof createSimulatedRegister>[0] extends infer O ? O extends { faults?: infer F } ? F : never : never; rebootMs?: number; expectedRebootMs?: number } = {}) {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: options.rebootMs ?? 30 }, profile: { firmwareMaxBlock: 2048 }, ...(options.faults === undefined ? {} : { faults: options.faults }) });
  const registry = new DeviceRegistry<RegisterSession>({
    link: registerSessionLink({ replyTimeoutMs: 150, retries: 0, settleMs: 10 }), backoff: { initialMs: 20, maxMs: 60 }, heartbeatMs: 50,
  });
  const store = openStore(':memory:');
  opened.push({ register, registry, store });
  registry.add(register.transport, { simulated: true });
  const id = register.state.identity.machineNumber;
  await until(() => registry.get(id)?.state === 'online');
  const jobs = new JobRunner({ store });
  const devices = createDevicePort(registry, jobs);
  const gateCalls: string[] = [];
  const backupGate = (): BackupGate => ({
    pass: async (gateOptions) => {
      gateCalls.push(gateOptions.operation);
      return { backupId: 'backup-1', reused: true, createdAt: '2026-12-05T12:00:00Z', verifiedAt: '2026-12-05T12:00:00Z', problems: 0 };
    },
  });
  const writes: { offset: number; length: number }[] = [];
  const upgrade = async (pkg: PackageForUse, body: Record<string, unknown> = {}, trialSeconds = 5, onEvent?: (event: JobEvent) => void, transfers?: UpgradeTransfers) => {
    const request = upgradeRequestSchema.parse({ package: PACKAGE_ID, ...body });
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: upgradeRun({ packages: { forUse: async () => pkg }, backupGate, devices, trialSeconds, rebootMs: options.expectedRebootMs ?? 5_000, ...(transfers === undefined ? {} : { transfers }) }, request),
    });
    const events: JobEvent[] = [];
    jobs.events.subscribe(job.id, 0, (event) => { events.push(event); onEvent?.(event); });
    const settled = await jobs.settled(job.id);
    if (settled === undefined) throw new Error('the job vanished');
    return { job: settled, events };
  };
  return { register, registry, id, upgrade, gateCalls, writes, store };
}

describe('the upgrade job over the serial path (trial boot, GB link SPEC §5.8.1)', () => {
  it('writes, activates on trial, verifies version, digest and self-checks, confirms; the registry shows the new version', async () => {
    const { register, registry, id, upgrade, gateCalls, store } = await harness();
    const pkg = packageOf('2.4.0');
    const { job, events } = await upgrade(pkg);
    expect(job).toMatchObject({ state: 'succeeded', result: { before: '2.3.1', after: '2.4.0', kind: 'upgrade', verified: true, confirmed: true, backupId: 'backup-1' } });
    expect(gateCalls).toEqual(['upgrade']);
    expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
    expect(register.simulator.firmware.trial).toBeNull();
    expect(register.simulator.firmware.lastTrial).toMatchObject({ outcome: 'confirmed', previousVersion: '2.3.1', trialVersion: '2.4.0' });
    await until(() => registry.get(id)?.identity?.firmwareVersion === '2.4.0');
    // The register said it was busy while it rebooted, in seconds of an expected time.
    expect(events.some((e) => e.type === 'progress' && /the register is busy, \d+ s of an expected \d+ s/.test(String(e.data.detail)))).toBe(true);
    const record = store.records.list({ device: id }).find((r) => r.action === UPGRADE_JOB_KIND);
    expect(record).toMatchObject({ before: { firmwareVersion: '2.3.1', target: '2.4.0', packageId: PACKAGE_ID, path: 'serial', downgrade: false, reinstall: false } });
  });

  it('a register back after the expected reboot time: the job looks again and reports it upgraded, not failed', async () => {
    const { register, upgrade } = await harness({ rebootMs: 1_100, expectedRebootMs: 1_000 });
    const { job, events } = await upgrade(packageOf('2.4.0'));
    expect(events.some((e) => e.type === 'progress' && e.data.detail === 'the expected time has passed: looking again')).toBe(true);
    expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', confirmed: true } });
    expect(register.simulator.firmware.running.version).toBe('2.4.0');
  });

  it('an image that does not boot: the register goes back to the old image by itself, the job says reverted and why', async () => {
    const { register, upgrade } = await harness({ faults: { faults: [{ kind: 'trial-boot-fails' }] } });
    const { job } = await upgrade(packageOf('2.4.0'));
    expect(job.state).toBe('failed');
    expect(job.error).toMatchObject({ code: 'UPGRADE_REVERTED', params: { running: '2.3.1', target: '2.4.0' }, data: { reason: 'the new image did not boot', registerReason: 'did-not-boot', reverted: true } });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
    expect(register.simulator.firmware.lastTrial).toMatchObject({ outcome: 'reverted', reason: 'did-not-boot' });
  });

  it('a trial image whose self-check fails is not confirmed: the register reverts at the deadline, the job reports it', async () => {
    const { register, upgrade } = await harness();
    register.simulator.setSelfCheckFault('ram', { result: 3, detail: 'RAM bank 2' });
    const { job } = await upgrade(packageOf('2.4.0'), {}, 1);
    expect(job.error).toMatchObject({ code: 'UPGRADE_REVERTED', params: { running: '2.3.1', target: '2.4.0' } });
    expect(String(job.error?.data.reason)).toContain('self-check ram failed');
    expect(register.simulator.firmware.lastTrial).toMatchObject({ outcome: 'reverted', reason: 'not-confirmed' });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('a link cut in the middle of the write: resumed from the offset the register reports, at most one block sent again', async () => {
    const { register, upgrade } = await harness();
    const pkg = packageOf('2.4.0', { size: 16_384 });
    // Once 4 KiB are in, the register's next answer is lost (its line goes silent): it took the block, the host does not know.
    let armed = false;
    const cutMidWrite = (event: JobEvent) => {
      const written = /^(\d+) of \d+ bytes written$/.exec(String(event.data.detail ?? ''));
      if (armed || written === null || Number(written[1]) < 4096) return;
      armed = true;
      register.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 0 }] });
    };
    const restore = setInterval(() => { if (register.simulator.line.isDead) register.simulator.restoreLink(); }, 20);
    try {
      const { job } = await upgrade(pkg, {}, 5, cutMidWrite);
      expect(armed).toBe(true);
      expect(job.error).toBeNull();
      expect(job.state).toBe('succeeded');
      const result = job.result as UpgradeResult;
      expect(result.write?.resumes.length).toBeGreaterThanOrEqual(1);
      expect(result.write!.bytesSent - pkg.image.length).toBeLessThanOrEqual(2048);
      for (const resume of result.write!.resumes) expect(resume.resent).toBeLessThanOrEqual(2048);
    } finally {
      clearInterval(restore);
    }
    expect(register.simulator.firmware.running.version).toBe('2.4.0');
  });

  it('a link cut while verifying the trial image: the job reads the register again and confirms, instead of failing on the link', async () => {
    const { register, upgrade } = await harness();
    let armed = false;
    const cutWhileVerifying = (event: JobEvent) => {
      if (armed || event.type !== 'progress' || !/^the register runs 2\.4\.0$/.test(String(event.data.detail ?? ''))) return;
      armed = true;
      register.simulator.setFaults({ faults: [{ kind: 'cut', direction: 'tx', at: 0 }] });
    };
    const restore = setInterval(() => { if (register.simulator.line.isDead) register.simulator.restoreLink(); }, 200);
    try {
      const { job, events } = await upgrade(packageOf('2.4.0'), {}, 20, cutWhileVerifying);
      expect(armed).toBe(true);
      expect(events.some((e) => e.type === 'progress' && e.data.detail === 'the link failed while verifying: reading the register again')).toBe(true);
      expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', verified: true, confirmed: true } });
    } finally {
      clearInterval(restore);
    }
    expect(register.simulator.firmware.lastTrial).toMatchObject({ outcome: 'confirmed', trialVersion: '2.4.0' });
  });

  it.each([
    ['the same version without reinstall', packageOf('2.3.1'), {}, 'UPGRADE_SAME_VERSION'],
    ['an older version without allowDowngrade', packageOf('2.2.0'), {}, 'UPGRADE_OLDER_VERSION'],
    ['another model', packageOf('2.4.0', { models: ['OTHER-1'] }), {}, 'UPGRADE_MODEL_NOT_LISTED'],
    ['a path the package does not allow', packageOf('2.4.0', { paths: ['serial'] }), { path: 'ic-card' }, 'UPGRADE_PATH_NOT_ALLOWED'],
    ['a path this gateway version does not do yet', packageOf('2.4.0'), { path: 'usb-stick' }, 'UPGRADE_PATH_UNAVAILABLE'],
  ] as const)('refuses %s before anything is sent', async (_name, pkg, body, code) => {
    const { register, upgrade, gateCalls } = await harness();
    const { job } = await upgrade(pkg, body);
    expect(job).toMatchObject({ state: 'failed', error: { code } });
    expect(gateCalls).toEqual([]);
    expect(register.simulator.firmware.upgrade).toBeNull();
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('a reinstall and a downgrade are allowed when asked for, and recorded as such', async () => {
    const { upgrade, store, id } = await harness();
    const { job } = await upgrade(packageOf('2.2.0'), { allowDowngrade: true });
    expect(job).toMatchObject({ state: 'succeeded', result: { kind: 'downgrade', before: '2.3.1', after: '2.2.0' } });
    expect(store.records.list({ device: id }).find((r) => r.action === UPGRADE_JOB_KIND)).toMatchObject({ before: { downgrade: true } });
  });

  describe('a path is a module (UpgradeTransfer.ts): the job dispatches on request.path', () => {
    it('a usb-stick transfer given to the job runs between the shared prepare and settle; the result and the record name its path', async () => {
      const { register, id, upgrade, store } = await harness();
      const seen: string[] = [];
      // A stand-in for the stick path: it moves the image the serial way, but the job only knows it as 'usb-stick'.
      const stick: UpgradeTransfer = {
        path: 'usb-stick',
        transfer: async (ctx, device, pkg, plan) => {
          seen.push(`${plan.model} ${plan.from} ${plan.resumed === undefined ? 'first' : 'resumed'}`);
          return serialTransfer().transfer(ctx, device, pkg, plan);
        },
      };
      const { job } = await upgrade(packageOf('2.4.0'), { path: 'usb-stick' }, 5, undefined, { serial: serialTransfer(), 'usb-stick': stick });
      expect(seen).toEqual(['SIM-ECR-200 2.3.1 first']);
      expect(job).toMatchObject({ state: 'succeeded', result: { path: 'usb-stick', after: '2.4.0', verified: true, confirmed: true } });
      expect(job.checkpoint).toMatchObject({ path: 'usb-stick', phase: 'confirming' });
      expect(register.simulator.firmware.running.version).toBe('2.4.0');
      expect(store.records.list({ device: id }).find((r) => r.action === UPGRADE_JOB_KIND)).toMatchObject({ before: { path: 'usb-stick' } });
    });

    it('a transfer that returns without plan.activating() fails the job instead of settling on a guess', async () => {
      const { register, upgrade } = await harness();
      const careless: UpgradeTransfer = { path: 'ic-card', transfer: async () => ({ startedAt: 0, bytesSent: 0, resumes: [] }) };
      const { job } = await upgrade(packageOf('2.4.0', { paths: ['serial', 'ic-card'] }), { path: 'ic-card' }, 5, undefined, { 'ic-card': careless });
      expect(job.state).toBe('failed');
      expect(register.simulator.firmware.running.version).toBe('2.3.1');
    });
  });
});
