import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parsePublicKeyPem } from '../../../protocols/fwpkg/index.js';
import { upgradeStick } from '../../../src/daemon/areas/upgradeStick.js';
import type { PackageForUse } from '../../../src/services/upgrade/UpgradePackages.js';
import { stickPackagePath } from '../../../src/services/upgrade/UpgradeStick.js';
import { closeStickHarnesses, PACKAGE_ID, signedPackage, stickHarness, stranger, until } from '../../helpers/stickUpgradeHarness.js';

afterEach(closeStickHarnesses);

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('the USB-stick path of the upgrade job', () => {
  it('stages the package with its .sha256, tells the technician in both languages, the register installs it from the stick, the job verifies and confirms', async () => {
    const { register, registry, id, stick, technician, told, upgrade } = await stickHarness({ moveMs: 50 });
    const pkg = await signedPackage('2.4.0');
    const { job, events } = await upgrade(pkg);
    expect(job).toMatchObject({ state: 'succeeded', result: { path: 'usb-stick', before: '2.3.1', after: '2.4.0', verified: true, confirmed: true } });
    const file = stickPackagePath('SIM-ECR-200', '2.4.0');
    expect(file).toBe('FISCAL/UPGRADE/SIM-ECR-200/2.4.0.fwpkg');
    const onStick = new Uint8Array(await readFile(join(stick.volume, file)));
    expect(sha256(onStick)).toBe(sha256(pkg.fwpkg!));
    expect(await readFile(join(stick.volume, `${file}.sha256`), 'utf8')).toBe(`${sha256(pkg.fwpkg!)}  2.4.0.fwpkg\n`);
    expect(told).toEqual([{ jobDeviceId: id, machineNumber: id, model: 'SIM-ECR-200', version: '2.4.0', mountPoint: stick.volume, file }]);
    const waiting = events.find((e) => e.type === 'waiting' && e.data.for === 'technician');
    expect(waiting?.data).toMatchObject({ code: 'UPGRADE_STICK_HANDOVER' });
    const message = waiting?.data.message as { 'zh-CN': string; en: string };
    expect(message['zh-CN']).toContain(`插到收款机 ${id}，并在收款机上确认升级`);
    expect(message.en).toContain(`Move the stick (${stick.volume}) to the register ${id} and confirm the upgrade on the register`);
    // The register read the stick itself; the gateway confirmed what it found running.
    await technician.idle();
    expect(technician.trips.map((trip) => trip.outcome)).toEqual([{ installed: true, version: '2.4.0' }]);
    expect(register.simulator.firmware.running).toMatchObject({ version: '2.4.0', sha256: pkg.manifest.sha256 });
    expect(register.simulator.firmware.lastTrial).toMatchObject({ outcome: 'confirmed', trialVersion: '2.4.0', previousVersion: '2.3.1' });
    expect(stick.present).toBe(true);
    await until(() => registry.get(id)?.identity?.firmwareVersion === '2.4.0');
    // Never silent while the technician walks: progress at least every poll, saying what it waits for.
    expect(events.some((e) => e.type === 'progress' && /waiting for the register to install from the stick, \d+ s of an expected \d+ s/.test(String(e.data.detail)))).toBe(true);
    // The copy and its read-back report their bytes too (a slow stick is never a silent job).
    const size = pkg.fwpkg!.length;
    expect(events.filter((e) => e.type === 'progress').map((e) => e.data.detail)).toEqual(expect.arrayContaining([
      `${size} of ${size} bytes copied to the stick`, `${size} of ${size} bytes read back from the stick`,
    ]));
  });

  it.each([
    ['no stick in the gateway', { stick: { present: false } }, 'STICK_NOT_FOUND'],
    ['a read-only stick', { stick: { readOnly: true } }, 'STICK_READ_ONLY'],
    ['a full stick', { freeSpace: 10_000 }, 'STICK_FULL'],
    ['a stick that returns other bytes than it was given', { corruptAfterWrite: true }, 'STICK_VERIFY_FAILED'],
  ] as const)('%s: refused with its code before the technician is told; the register keeps its old version', async (_name, options, code) => {
    const { register, told, stick, upgrade, gateCalls } = await stickHarness({ ...options, moveMs: 0 });
    const { job } = await upgrade(await signedPackage('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code } });
    expect(told).toEqual([]);
    // No stick, a read-only or a full one is refused before the backup gate (a stick that reads back wrong only shows when written).
    expect(gateCalls()).toBe(code === 'STICK_VERIFY_FAILED' ? 1 : 0);
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
    if (code === 'STICK_VERIFY_FAILED') {
      // The copy that did not read back is not left on the stick for a register to take.
      await expect(readFile(join(stick.volume, stickPackagePath('SIM-ECR-200', '2.4.0')))).rejects.toThrow(/ENOENT/);
    }
  });

  it('a register that refuses the package (it does not trust the signing key): its report (64/0A) ends the wait at once, UPGRADE_STICK_REFUSED (exit 3) with the reason, old version', async () => {
    const { register, technician, upgrade } = await stickHarness({ moveMs: 0, registerTrusts: [parsePublicKeyPem(stranger.publicPem)], transfer: { handoverMs: 60_000 } });
    const { job, events } = await upgrade(await signedPackage('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_STICK_REFUSED', data: { registerReason: 'signature', changed: false } } });
    expect(job.error?.message).toBe(`Register ${register.state.identity.machineNumber} refused the package on the USB stick: its signature is missing, altered or by a key the register does not trust; it still runs 2.3.1`);
    expect(job.error?.messageZh).toContain('签名无效或不是收款机信任的密钥所签');
    expect(events.some((e) => e.type === 'progress' && e.data.detail === 'the expected time has passed: looking again')).toBe(false);
    // The job ends on the register's report, as the technician is still putting the stick back into the gateway.
    await technician.idle();
    expect(technician.trips[0]?.outcome).toMatchObject({ installed: false, refusal: 'signature' });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
    expect(register.simulator.firmware.trial).toBeNull();
  });

  it('a register that refuses a package for another model (the gateway was told otherwise): old version, UPGRADE_STICK_REFUSED naming the model', async () => {
    const { register, technician, upgrade, stick } = await stickHarness({ moveMs: 0 });
    // The package names this model, so the gateway's gate passes; what lies on the stick is another model's package (swapped on the way).
    const ours = await signedPackage('2.4.0');
    const other = await signedPackage('2.4.0', { models: ['OTHER-9'] });
    const { job } = await upgrade({ ...ours, fwpkg: other.fwpkg! });
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_STICK_REFUSED', data: { registerReason: 'model', packageVersion: '2.4.0' } } });
    await technician.idle();
    expect(technician.trips[0]?.outcome).toMatchObject({ installed: false, refusal: 'model' });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
    expect(stick.present).toBe(true);
  });

  it('a register without the media report that refuses the package: the job looks again past the deadline, then UPGRADE_STICK_NOT_INSTALLED on the old version', async () => {
    const { register, technician, upgrade } = await stickHarness({
      moveMs: 0, withoutMediaReport: true, registerTrusts: [parsePublicKeyPem(stranger.publicPem)], transfer: { handoverMs: 300 }, rebootMs: 500,
    });
    const { job, events } = await upgrade(await signedPackage('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_STICK_NOT_INSTALLED' } });
    expect(job.error?.message).toMatch(/did not install 2\.4\.0 from the USB stick within \d+ s; it still runs 2\.3\.1/);
    expect(events.some((e) => e.type === 'progress' && e.data.detail === 'the expected time has passed: looking again')).toBe(true);
    expect(technician.trips[0]?.outcome).toMatchObject({ installed: false, refusal: 'signature' });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  it('late but upgraded: the technician comes after the deadline, within the second look; the job succeeds', async () => {
    const { register, upgrade } = await stickHarness({ moveMs: 500, transfer: { handoverMs: 200 } });
    const { job, events } = await upgrade(await signedPackage('2.4.0'));
    expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', verified: true } });
    expect(events.some((e) => e.type === 'progress' && e.data.detail === 'the expected time has passed: looking again')).toBe(true);
    expect(register.simulator.firmware.running.version).toBe('2.4.0');
  });

  it('an image from the stick that does not boot: the register goes back by itself, the job says reverted', async () => {
    const { register, upgrade } = await stickHarness({ moveMs: 0, faults: 'trial-boot-fails' });
    const { job } = await upgrade(await signedPackage('2.4.0'));
    expect(job).toMatchObject({ state: 'failed', error: { code: 'UPGRADE_REVERTED' } });
    expect(register.simulator.firmware.running.version).toBe('2.3.1');
  });

  describe('resumed after a restart (checkpoint phase write, step handed-over)', () => {
    const handedOver = async (pkg: PackageForUse) => ({
      phase: 'write', packageId: PACKAGE_ID, from: '2.3.1', to: '2.4.0', sha256: pkg.manifest.sha256, size: pkg.manifest.size, offset: pkg.image.length,
      backupId: 'backup-1', kind: 'upgrade', path: 'usb-stick',
      detail: { step: 'handed-over', file: stickPackagePath('SIM-ECR-200', '2.4.0'), sha256: sha256(pkg.fwpkg!) },
    });

    it('a copy that still verifies is not made again: the technician is told again and the job ends verified', async () => {
      const pkg = await signedPackage('2.4.0');
      const { stick, upgrade } = await stickHarness({ moveMs: 0 });
      const file = join(stick.volume, stickPackagePath('SIM-ECR-200', '2.4.0'));
      await upgradeStick({ roots: stick.roots }).copy(pkg.fwpkg!, stickPackagePath('SIM-ECR-200', '2.4.0'));
      const before = await readFile(file);
      const { job } = await upgrade(pkg, await handedOver(pkg));
      expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', write: { bytesSent: 0, detail: { reused: true } } } });
      expect(await readFile(file)).toEqual(before);
    });

    it('a copy that no longer verifies is made again', async () => {
      const pkg = await signedPackage('2.4.0');
      const { stick, upgrade } = await stickHarness({ moveMs: 0 });
      const relative = stickPackagePath('SIM-ECR-200', '2.4.0');
      await upgradeStick({ roots: stick.roots }).copy(pkg.fwpkg!, relative);
      await writeFile(join(stick.volume, relative), Buffer.from('damaged'));
      const { job } = await upgrade(pkg, await handedOver(pkg));
      expect(job).toMatchObject({ state: 'succeeded', result: { write: { bytesSent: pkg.fwpkg!.length, resumes: [{ at: 0, resent: pkg.fwpkg!.length }] } } });
      expect(sha256(new Uint8Array(await readFile(join(stick.volume, relative))))).toBe(sha256(pkg.fwpkg!));
    });

    it('no stick in the gateway: it is with the technician; nothing is copied, the job waits for the register', async () => {
      const pkg = await signedPackage('2.4.0');
      const { stick, upgrade, told } = await stickHarness({ moveMs: 0 });
      await upgradeStick({ roots: stick.roots }).copy(pkg.fwpkg!, stickPackagePath('SIM-ECR-200', '2.4.0'));
      // The technician took the stick before the restart: the gateway does not see it.
      await stick.unplug();
      const { job } = await upgrade(pkg, await handedOver(pkg));
      expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', write: { bytesSent: 0 } } });
      expect(told[0]?.mountPoint).toBeUndefined();
    });

    it('the register already runs the target on trial (it installed while the daemon was down): settled without copying or telling anyone', async () => {
      const pkg = await signedPackage('2.4.0');
      const { register, registry, stick, upgrade, told, technician } = await stickHarness({});
      await upgradeStick({ roots: stick.roots }).copy(pkg.fwpkg!, stickPackagePath('SIM-ECR-200', '2.4.0'));
      // Dark long enough for the registry's heartbeat to see it go and come back on 2.4.0.
      register.simulator.setTiming({ rebootMs: 500 });
      technician.told({ jobDeviceId: 'x', machineNumber: register.state.identity.machineNumber, model: 'SIM-ECR-200', version: '2.4.0', mountPoint: stick.volume, file: stickPackagePath('SIM-ECR-200', '2.4.0') });
      await technician.idle();
      expect(register.simulator.firmware.trial).not.toBeNull();
      // The job is reconciled once its register is back (src/jobs/ENGINE.md): here, once the registry sees it on 2.4.0.
      await until(() => registry.get(register.state.identity.machineNumber)?.identity?.firmwareVersion === '2.4.0' && registry.get(register.state.identity.machineNumber)?.state === 'online');
      const { job } = await upgrade(pkg, await handedOver(pkg));
      expect(job).toMatchObject({ state: 'succeeded', result: { after: '2.4.0', confirmed: true, write: { bytesSent: 0 } } });
      expect(told).toEqual([]);
    });
  });
});
