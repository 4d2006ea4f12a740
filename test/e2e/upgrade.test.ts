import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

interface DeviceRow { id: string; identity?: { model: string; firmwareVersion: string } }

/**
 * A serial upgrade with the real binaries on `fiscald --simulate`: a vendor package for the simulated register's
 * model, `fiscalctl upgrade ID --package FILE --yes` (uploaded, backed up, written, booted on trial, verified,
 * confirmed), then `devices` shows the new version; the same package again is refused (exit 3). Then both simulated
 * registers at once from a list (`upgrade --devices FILE`).
 */
describe('fiscalctl upgrade over the serial path (processes)', () => {
  let daemon: RunningDaemon;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-upgrade-'));
    const trusted = join(work, 'trusted');
    mkdirSync(trusted);
    // Untimed registers (no line time, no flash time) that restart in 100 ms: this file is about the upgrade's steps, not how long they take.
    daemon = await startDaemon({ simulate: 2, args: ['--trusted-keys', trusted, '--simulator-timing', JSON.stringify({ timed: false, rebootMs: 100 })] });
    const keygen = await runFiscalctl(daemon, ['package', 'keygen', '--out', join(work, 'vendor')]);
    expect(keygen.code, keygen.stderr).toBe(0);
    copyFileSync(join(work, 'vendor.pub'), join(trusted, 'vendor.pub'));
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  it('upgrades, verifies and confirms; devices shows the new version; the same version again exits 3', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const listed = await ctl(['devices', '--json']);
    const [device] = (JSON.parse(listed.stdout) as { devices: DeviceRow[] }).devices;
    expect(device?.identity).toBeDefined();
    writeFileSync(join(work, 'fw.bin'), Buffer.alloc(48 * 1024, 0x5a));
    const built = await ctl(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.1.0', '--model', device!.identity!.model,
      '--lowest', '0.0.1', '--key', join(work, 'vendor.key'), '-o', join(work, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);

    const upgraded = await ctl(['upgrade', device!.id, '--package', join(work, 'fw.fwpkg'), '--yes', '--json']);
    expect(upgraded.code, upgraded.stderr + upgraded.stdout).toBe(0);
    expect(JSON.parse(upgraded.stdout)).toMatchObject({ upgrade: { after: '9.1.0', verified: true, confirmed: true } });

    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices.find((d) => d.id === device!.id);
    expect(after?.identity?.firmwareVersion).toBe('9.1.0');

    const again = await ctl(['upgrade', device!.id, '--package', join(work, 'fw.fwpkg'), '--yes', '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ code: 'UPGRADE_SAME_VERSION' });
  }, 240_000);

  it('a batch from a list: every register upgraded and verified, one result each, exit 0; devices shows the new version on all', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const devices = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices;
    expect(devices).toHaveLength(2);
    writeFileSync(join(work, 'fw2.bin'), Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i % 251) ^ (i >> 9))));
    const built = await ctl(['package', 'build', '--image', join(work, 'fw2.bin'), '--version', '9.2.0', '--model', devices[0]!.identity!.model,
      '--lowest', '0.0.1', '--key', join(work, 'vendor.key'), '-o', join(work, 'fw2.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);
    writeFileSync(join(work, 'list.csv'), `id,site\n${devices.map((d) => `${d.id},shop`).join('\n')}\n`);

    const batch = await ctl(['upgrade', '--devices', join(work, 'list.csv'), '--package', join(work, 'fw2.fwpkg'), '--concurrency', '2', '--yes', '--json']);
    expect(batch.code, batch.stderr + batch.stdout).toBe(0);
    const doc = JSON.parse(batch.stdout) as { total: number; verified: number; devices: { device: string; after: string; verified: boolean }[] };
    expect(doc).toMatchObject({ total: 2, verified: 2 });
    for (const row of doc.devices) expect(row).toMatchObject({ after: '9.2.0', verified: true });

    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices;
    expect(after.map((d) => d.identity?.firmwareVersion)).toEqual(['9.2.0', '9.2.0']);
  }, 240_000);
});
