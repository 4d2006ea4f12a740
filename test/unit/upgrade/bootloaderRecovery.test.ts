import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { powerCycleSimulatedRegister } from '../../../fixtures/simulator/powerCycle.js';
import { checkManifest, measureImage } from '../../../protocols/fwpkg/index.js';
import { DeviceRegistry } from '../../../src/devices/DeviceRegistry.js';
import { createDevicePort } from '../../../src/devices/lease/devicePort.js';
import type { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { planInstall } from '../../../src/services/upgrade/planInstall.js';
import { UPGRADE_JOB_KIND, upgradeRun, upgradeStages, type UpgradeResult } from '../../../src/services/upgrade/runUpgrade.js';
import { upgradeRequestSchema } from '../../../src/services/upgrade/upgradeRequest.js';
import type { PackageForUse } from '../../../src/services/upgrade/UpgradePackages.js';
import { openStore, type Store } from '../../../src/store/Store.js';

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

const PACKAGE_ID = 'be'.repeat(16);

function packageOf(version: string, options: { size?: number; lowest?: string; bootloaderLowest?: string; models?: string[] } = {}): PackageForUse {
  const image = Uint8Array.from({ length: options.size ?? 16_384 }, (_, i) => (i * 11 + 5) & 0xff);
  const digest = measureImage(image);
  const manifest = checkManifest({
    format: 'fiscal-fwpkg/1', vendor: 'Sim', models: options.models ?? ['SIM-ECR-200'], version, versionLowest: options.lowest ?? '1.0.0',
    bootloaderLowest: options.bootloaderLowest ?? '1.0.0', size: image.length, sha256: digest.sha256, sm3: digest.sm3, paths: ['serial'], releaseNotes: '',
    keyId: `ed25519:${'0'.repeat(32)}`, createdAt: '2026-12-01T00:00:00Z',
  });
  return { packageId: PACKAGE_ID, manifest, image };
}

async function harness(faults?: Parameters<typeof createSimulatedRegister>[0] extends infer O ? O extends { faults?: infer F } ? F : never : never) {
  const register = await createSimulatedRegister({ timing: { timed: false, rebootMs: 30 }, profile: { firmwareMaxBlock: 2048 }, ...(faults === undefined ? {} : { faults }) });
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
  const upgrade = async (pkg: PackageForUse) => {
    const { job } = jobs.start({
      kind: UPGRADE_JOB_KIND, deviceId: id, operator: 'li', stages: upgradeStages,
      run: upgradeRun({
        packages: { forUse: async () => pkg }, devices, trialSeconds: 5, rebootMs: 5_000,
        backupGate: () => ({ pass: async () => ({ backupId: 'backup-1', reused: true, createdAt: '2026-12-05T12:00:00Z', verifiedAt: '2026-12-05T12:00:00Z', problems: 0 }) }),
      }, upgradeRequestSchema.parse({ package: PACKAGE_ID })),
    });
    const settled = await jobs.settled(job.id);
    if (settled === undefined) throw new Error('the job vanished');
    return settled;
  };
  return { register, registry, id, upgrade, store };
}

describe('a register in its bootloader (GB link SPEC §5.2): recognised, matched to its machine number, upgraded from there', () => {
  it('power lost mid-flash, the register comes back in its bootloader: the same job resumes there from the register\'s offset and ends verified on the new image', async () => {
    const { register, registry, id, upgrade } = await harness({ faults: [{ kind: 'power-loss', during: 'firmware-write', after: 4, fraction: 0.5, offMs: 100, bootsInto: 'bootloader' }] });
    const seen = new Set<string>();
    const watch = setInterval(() => {
      const device = registry.get(id);
      if (device !== undefined) seen.add(`${device.state}:${device.identity?.mode ?? '-'}:${device.identity?.firmwareVersion ?? '-'}`);
    }, 5);
    try {
      const pkg = packageOf('2.4.0');
      const job = await upgrade(pkg);
      expect(job.error).toBeNull();
      const result = job.result as UpgradeResult;
      expect(result).toMatchObject({ before: '2.3.1', after: '2.4.0', verified: true, confirmed: true });
      // Found in its bootloader under the same machine number while the job held it, then back as the application.
      expect([...seen].some((s) => s.endsWith(':bootloader:0.0.0'))).toBe(true);
      // Resumed from the register's committed offset: at most the block cut by the power loss went again.
      expect(result.write?.resumes).toHaveLength(1);
      expect(result.write!.resumes[0]!.at).toBe(4 * 2048);
      expect(result.write!.resumes[0]!.resent).toBeLessThanOrEqual(2048);
      expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
      await until(() => registry.get(id)?.state === 'online' && registry.get(id)?.identity?.firmwareVersion === '2.4.0');
    } finally {
      clearInterval(watch);
    }
  });

  it('a register found in its bootloader is shown as such and returned to a working image by an upgrade job; the lowest rule does not apply', async () => {
    const { register, registry, id, upgrade } = await harness();
    await powerCycleSimulatedRegister(register, { offMs: 20, into: 'bootloader' });
    await until(() => registry.get(id)?.state === 'bootloader');
    expect(registry.get(id)?.identity).toMatchObject({ machineNumber: id, model: 'SIM-ECR-200', firmwareVersion: '0.0.0', mode: 'bootloader' });
    const job = await upgrade(packageOf('2.5.0', { lowest: '2.0.0' }));
    expect(job.error).toBeNull();
    expect(job.result).toMatchObject({ before: '0.0.0', after: '2.5.0', kind: 'upgrade', verified: true, confirmed: true });
    await until(() => registry.get(id)?.state === 'online');
    expect(registry.get(id)?.identity).toMatchObject({ firmwareVersion: '2.5.0', mode: 'application' });
  });
});

describe('planInstall for a register in its bootloader', () => {
  const bootloader = { model: 'SIM-ECR-200', firmwareVersion: '0.0.0', bootloaderVersion: '1.2.0' };
  const request = { path: 'serial' as const, reinstall: false, allowDowngrade: false };

  it('allows any version above the lowest rule (nothing runs to be compared), as an upgrade from 0.0.0', () => {
    expect(planInstall(packageOf('3.0.0', { lowest: '2.9.0' }).manifest, bootloader, request)).toEqual({ kind: 'upgrade', from: '0.0.0' });
  });

  it('still refuses a model not listed, a bootloader too old and a path not done here', () => {
    expect(() => planInstall(packageOf('3.0.0', { models: ['OTHER'] }).manifest, bootloader, request)).toThrow(expect.objectContaining({ code: 'UPGRADE_MODEL_NOT_LISTED' }));
    expect(() => planInstall(packageOf('3.0.0', { bootloaderLowest: '1.3.0' }).manifest, bootloader, request)).toThrow(expect.objectContaining({ code: 'UPGRADE_BOOTLOADER_TOO_OLD' }));
    expect(() => planInstall(packageOf('3.0.0').manifest, bootloader, request, [])).toThrow(expect.objectContaining({ code: 'UPGRADE_PATH_UNAVAILABLE' }));
  });

  it('an application below the lowest is still refused', () => {
    expect(() => planInstall(packageOf('3.0.0', { lowest: '2.9.0' }).manifest, { ...bootloader, firmwareVersion: '2.3.1' }, request)).toThrow(expect.objectContaining({ code: 'UPGRADE_BELOW_LOWEST' }));
  });
});
