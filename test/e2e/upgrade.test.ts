import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

interface DeviceRow { id: string; identity?: { model: string; firmwareVersion: string } }

/**
 * A serial upgrade with the real binaries on `fiscald --simulate`: a vendor package for the simulated register's
 * model, `fiscalctl upgrade ID --package FILE --yes` (uploaded, backed up, written, booted on trial, verified,
 * confirmed), then `devices` shows the new version; the same package again is refused (exit 3).
 */
describe('fiscalctl upgrade over the serial path (processes)', () => {
  let daemon: RunningDaemon;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-upgrade-'));
    const trusted = join(work, 'trusted');
    mkdirSync(trusted);
    daemon = await startDaemon({ simulate: 1, args: ['--trusted-keys', trusted] });
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

    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices[0];
    expect(after?.identity?.firmwareVersion).toBe('9.1.0');

    const again = await ctl(['upgrade', device!.id, '--package', join(work, 'fw.fwpkg'), '--yes', '--json']);
    expect(again.code).toBe(3);
    expect(JSON.parse(again.stdout)).toMatchObject({ code: 'UPGRADE_SAME_VERSION' });
  }, 240_000);
});
