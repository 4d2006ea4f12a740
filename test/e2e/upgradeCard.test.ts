import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

interface DeviceRow { id: string; identity?: { model: string; firmwareVersion: string } }

/**
 * The IC-card path with the real binaries on `fiscald --simulate` (issue 11 item 8): a vendor package of 150 KiB
 * (three 64 KiB upgrade cards), `fiscalctl upgrade ID --package FILE --path ic-card --yes`: the daemon writes the
 * cards one by one in `Simulated Reader 2` through the PC/SC driver and reads each back, the simulated technician
 * moves them (fixtures/simulator/README.md "IC-card upgrade"), the register reads them from its user-card slot,
 * checks the signature with the same trusted key and boots the image on trial; the job verifies and confirms; then
 * `devices` shows the new version. The register is untimed (no line time, a 100 ms restart) and the technician quick: the card path is
 * under test, not how long people or the line take.
 */
describe('fiscalctl upgrade over the IC-card path (processes)', () => {
  let daemon: RunningDaemon;
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-upgrade-card-'));
    const trusted = join(work, 'trusted');
    mkdirSync(trusted);
    daemon = await startDaemon({ simulate: 1, args: ['--trusted-keys', trusted, '--simulator-timing', '{"cardMoveMs":50,"upgradeCardsExtended":true,"timed":false,"rebootMs":100}'] });
    const keygen = await runFiscalctl(daemon, ['package', 'keygen', '--out', join(work, 'vendor')]);
    expect(keygen.code, keygen.stderr).toBe(0);
    copyFileSync(join(work, 'vendor.pub'), join(trusted, 'vendor.pub'));
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  it('writes three upgrade cards, the register installs from them, the job confirms; devices shows the new version', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const [device] = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices;
    expect(device?.identity).toBeDefined();
    writeFileSync(join(work, 'fw.bin'), Buffer.from(Array.from({ length: 150 * 1024 }, (_, i) => (i * 37 + (i >> 10)) & 0xff)));
    const built = await ctl(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.2.0', '--model', device!.identity!.model,
      '--paths', 'serial,ic-card', '--lowest', '0.0.1', '--key', join(work, 'vendor.key'), '-o', join(work, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);

    const upgraded = await ctl(['upgrade', device!.id, '--package', join(work, 'fw.fwpkg'), '--path', 'ic-card', '--yes', '--json']);
    expect(upgraded.code, upgraded.stderr + upgraded.stdout).toBe(0);
    const result = JSON.parse(upgraded.stdout) as { upgrade: { after: string; verified: boolean; confirmed: boolean; path: string; write: { detail: { cards: number; apdus: string; reader: string } } } };
    expect(result.upgrade).toMatchObject({ after: '9.2.0', verified: true, confirmed: true, path: 'ic-card' });
    expect(result.upgrade.write.detail).toMatchObject({ cards: 3, apdus: 'extended', reader: 'Simulated Reader 2' });

    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices[0];
    expect(after?.identity?.firmwareVersion).toBe('9.2.0');
  }, 240_000);
});
