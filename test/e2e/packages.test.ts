import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

/**
 * The vendor-to-counter path with the real binaries: a vendor makes a key and a package with `fiscalctl package`,
 * the counter's fiscald (started with `--trusted-keys DIR`) takes the package only once the vendor's public key is
 * in DIR, and `fiscalctl package upload|list|delete` drive it.
 */
describe('firmware packages from vendor to fiscald (processes)', () => {
  let daemon: RunningDaemon;
  let work: string;
  let trusted: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-packages-'));
    trusted = join(work, 'trusted');
    mkdirSync(trusted);
    daemon = await startDaemon({ simulate: 1, args: ['--trusted-keys', trusted] });
  }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  it('keygen, build and verify without the daemon; upload refused until the key is trusted, then kept, listed, deleted', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    expect((await ctl(['package', 'keygen', '--out', join(work, 'vendor'), '--algorithm', 'sm2'])).code).toBe(0);
    expect(statSync(join(work, 'vendor.key')).mode & 0o777).toBe(0o600);
    writeFileSync(join(work, 'fw.bin'), Buffer.alloc(64 * 1024, 0xa5));
    const built = await ctl(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '2.6.0', '--model', 'SK-3000税控机',
      '--lowest', '2.0.0', '--key', join(work, 'vendor.key'), '-o', join(work, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);
    expect((await ctl(['package', 'verify', join(work, 'fw.fwpkg'), '--trusted-keys', trusted])).code).toBe(3);

    const refused = await ctl(['package', 'upload', join(work, 'fw.fwpkg'), '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'FWPKG_UNKNOWN_KEY' });

    copyFileSync(join(work, 'vendor.pub'), join(trusted, 'vendor.pub'));
    const kept = await ctl(['package', 'upload', join(work, 'fw.fwpkg'), '--json']);
    expect(kept.code, kept.stderr).toBe(0);
    const id = JSON.parse(kept.stdout).package.id as string;
    const listed = await ctl(['package', 'list', '--lang', 'zh']);
    expect(listed.stdout).toContain(id);
    expect(listed.stdout).toContain('2.6.0');
    expect((await ctl(['package', 'delete', id])).code).toBe(0);
    // Eight fiscalctl processes, each loading TypeScript: about 22 s on an idle CI box, past 60 s under a load average of 20.
  }, 180_000);
});
