import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, removeDataDir, runFiscalctl, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

interface DeviceRow { id: string; identity?: { model: string; firmwareVersion: string; machineNumber: string } }

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** The registers as GET /v1/devices lists them: where a test only needs an id and a model, not a fiscalctl spawn. */
async function devicesOf(daemon: RunningDaemon): Promise<DeviceRow[]> {
  const res = await fetch(`${daemon.url}/v1/devices`, { headers: { authorization: `Bearer ${daemon.token}` } });
  return ((await res.json()) as { devices: DeviceRow[] }).devices;
}

/**
 * The USB-stick path with the real binaries on `fiscald --simulate`: the simulated stick is a folder under the data
 * dir that the stick driver finds as a removable volume; the simulated technician carries it to the register named
 * in the job's waiting reason after `stickMoveMs`; the register verifies the package itself and boots it on trial;
 * fiscald confirms. Then `devices` shows the new version, and `export-backup` writes onto the same stick.
 * Every daemon in this file runs untimed registers (`timed: false`, restarting in 100 ms): the stick path, not line or
 * restart time, is under test.
 */
describe('fiscalctl upgrade --path usb-stick and export-backup on the simulated stick (processes)', () => {
  let daemon: RunningDaemon;
  let work: string;
  const stickVolume = () => join(daemon.dataDir, 'simulator', 'stick', 'volume');

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'fg-e2e-stick-'));
    const trusted = join(work, 'trusted');
    mkdirSync(trusted);
    daemon = await startDaemon({ simulate: 1, args: ['--trusted-keys', trusted, '--simulator-timing', JSON.stringify({ stickMoveMs: 300, timed: false, rebootMs: 100 })] });
    const keygen = await runFiscalctl(daemon, ['package', 'keygen', '--out', join(work, 'vendor')]);
    expect(keygen.code, keygen.stderr).toBe(0);
    copyFileSync(join(work, 'vendor.pub'), join(trusted, 'vendor.pub'));
  }, 120_000);
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    rmSync(work, { recursive: true, force: true });
  });

  it('stages the package on the stick, the technician carries it, the register installs it; verified and confirmed; devices shows the new version', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const [device] = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices;
    expect(device?.identity).toBeDefined();
    writeFileSync(join(work, 'fw.bin'), Buffer.alloc(40 * 1024, 0x3c));
    const built = await ctl(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.2.0', '--model', device!.identity!.model,
      '--lowest', '0.0.1', '--paths', 'serial,usb-stick', '--key', join(work, 'vendor.key'), '-o', join(work, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);

    const upgraded = await ctl(['upgrade', device!.id, '--package', join(work, 'fw.fwpkg'), '--path', 'usb-stick', '--yes', '--json']);
    expect(upgraded.code, upgraded.stderr + upgraded.stdout).toBe(0);
    expect(JSON.parse(upgraded.stdout)).toMatchObject({ upgrade: { path: 'usb-stick', after: '9.2.0', verified: true, confirmed: true } });

    // What the technician carried: the package as built, with its sha256sum sidecar, in the model's folder.
    const onStick = join(stickVolume(), 'FISCAL', 'UPGRADE', device!.identity!.model, '9.2.0.fwpkg');
    const packageBytes = readFileSync(join(work, 'fw.fwpkg'));
    expect(sha256(readFileSync(onStick))).toBe(sha256(packageBytes));
    expect(readFileSync(`${onStick}.sha256`, 'utf8')).toBe(`${sha256(packageBytes)}  9.2.0.fwpkg\n`);

    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices[0];
    expect(after?.identity?.firmwareVersion).toBe('9.2.0');
  }, 240_000);

  it('a package that does not allow the stick path is refused before anything is copied (exit 3)', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const [device] = await devicesOf(daemon!);
    const built = await ctl(['package', 'build', '--image', join(work, 'fw.bin'), '--version', '9.3.0', '--model', device!.identity!.model,
      '--lowest', '0.0.1', '--paths', 'serial', '--key', join(work, 'vendor.key'), '-o', join(work, 'serial-only.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);
    const refused = await ctl(['upgrade', device!.id, '--package', join(work, 'serial-only.fwpkg'), '--path', 'usb-stick', '--yes', '--json']);
    expect(refused.code).toBe(3);
    expect(JSON.parse(refused.stdout)).toMatchObject({ code: 'UPGRADE_PATH_NOT_ALLOWED' });
    expect(existsSync(join(stickVolume(), 'FISCAL', 'UPGRADE', device!.identity!.model, '9.3.0.fwpkg'))).toBe(false);
  }, 120_000);

  it('export-backup writes a backup onto the simulated stick, read back and verified', async () => {
    const ctl = (args: string[]) => runFiscalctl(daemon, args);
    const [device] = await devicesOf(daemon!);
    const backups = JSON.parse((await ctl(['backups', device!.id, '--json'])).stdout) as { backups: { id: string }[] };
    // The upgrade's backup gate made one.
    const backupId = backups.backups[0]?.id;
    expect(backupId).toBeDefined();
    const exported = await ctl(['export-backup', backupId!, '--json']);
    expect(exported.code, exported.stderr + exported.stdout).toBe(0);
    const copy = JSON.parse(exported.stdout) as { mountPoint: string; path: string; sha256: string; filesVerified: number };
    expect(copy.mountPoint).toBe(stickVolume());
    expect(copy.path.startsWith(join(stickVolume(), 'FISCAL', 'BACKUP'))).toBe(true);
    expect(copy.filesVerified).toBeGreaterThan(0);
    expect(sha256(readFileSync(copy.path))).toBe(copy.sha256);
    expect(readFileSync(`${copy.path}.sha256`, 'utf8')).toContain(copy.sha256);
  }, 240_000);
});

/**
 * fiscald killed (-9) while a stick upgrade waits for the technician, started again on the same data dir: the job is
 * reconciled when its register is back, resumes at the technician (the copy on the stick still verifies, so it is
 * not made again), the technician is told again and carries the stick, and the job ends verified and confirmed.
 */
describe('fiscald killed while a stick upgrade waits for the technician (processes)', () => {
  const dataDir = tempDataDir();
  let daemon: RunningDaemon | undefined;
  let work: string | undefined;
  afterAll(async () => {
    await daemon?.stop();
    removeDataDir(dataDir);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('resumes at the technician after the restart without copying again; devices shows the new version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-e2e-stick-restart-'));
    work = dir;
    const trusted = join(dir, 'trusted');
    mkdirSync(trusted);
    const start = (moveMs: number) => startDaemon({ dataDir, simulate: 1, args: ['--trusted-keys', trusted, '--simulator-timing', JSON.stringify({ stickMoveMs: moveMs, timed: false, rebootMs: 100 })] });
    // The first fiscald's technician would take ten minutes: the job is surely still waiting for him when it dies.
    daemon = await start(600_000);
    const ctl = (args: string[]) => runFiscalctl(daemon!, args);
    expect((await ctl(['package', 'keygen', '--out', join(dir, 'vendor')])).code).toBe(0);
    copyFileSync(join(dir, 'vendor.pub'), join(trusted, 'vendor.pub'));
    const [device] = await devicesOf(daemon!);
    writeFileSync(join(dir, 'fw.bin'), Buffer.alloc(24 * 1024, 0x7e));
    const built = await ctl(['package', 'build', '--image', join(dir, 'fw.bin'), '--version', '9.4.0', '--model', device!.identity!.model,
      '--lowest', '0.0.1', '--paths', 'usb-stick', '--key', join(dir, 'vendor.key'), '-o', join(dir, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);
    const uploaded = await ctl(['package', 'upload', join(dir, 'fw.fwpkg'), '--json']);
    expect(uploaded.code, uploaded.stderr).toBe(0);
    const packageId = (JSON.parse(uploaded.stdout) as { package: { id: string } }).package.id;

    const auth = { authorization: `Bearer ${daemon.token}`, 'content-type': 'application/json', 'x-operator': 'stick-restart' };
    const started = await fetch(`${daemon.url}/v1/devices/${device!.id}/upgrade`, { method: 'POST', headers: auth, body: JSON.stringify({ package: packageId, path: 'usb-stick' }) });
    expect(started.status).toBe(202);
    const { job } = (await started.json()) as { job: { id: string } };
    const first = daemon;
    let killing: Promise<void> | undefined;
    await readJobEvents(`${first.url}/v1/jobs/${job.id}/events`, first.token, (event) => {
      if (event.event === 'waiting' && event.data.for === 'technician' && !killing) killing = first.kill9();
    });
    await killing;
    expect(killing).toBeDefined();
    const onStick = join(dataDir, 'simulator', 'stick', 'volume', 'FISCAL', 'UPGRADE', device!.identity!.model, '9.4.0.fwpkg');
    const packageBytes = readFileSync(join(dir, 'fw.fwpkg'));
    expect(sha256(readFileSync(onStick))).toBe(sha256(packageBytes));

    daemon = await start(300);
    const restarted = daemon;
    const ended = await eventually(async () => {
      const row = (await (await fetch(`${restarted.url}/v1/jobs/${job.id}`, { headers: { authorization: `Bearer ${restarted.token}` } })).json()) as {
        state: string; result: { after: string; verified: boolean; confirmed: boolean; path: string; write: { bytesSent: number; detail: { reused: boolean } } } | null;
        error: { code: string } | null;
      };
      return ['succeeded', 'failed', 'cancelled'].includes(row.state) ? row : undefined;
    }, 120_000);
    expect(ended.error).toBeNull();
    expect(ended).toMatchObject({ state: 'succeeded', result: { path: 'usb-stick', after: '9.4.0', verified: true, confirmed: true, write: { bytesSent: 0, detail: { reused: true } } } });
    const after = (JSON.parse((await runFiscalctl(restarted, ['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices[0];
    expect(after?.identity?.firmwareVersion).toBe('9.4.0');
  }, 300_000);
});

/** A simulated stick with its write-protect switch on: the stick upgrade refuses before anyone is told; the register keeps its version. */
describe('fiscalctl upgrade --path usb-stick onto a read-only stick (processes)', () => {
  let daemon: RunningDaemon | undefined;
  let work: string | undefined;
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('fails STICK_READ_ONLY (exit 1), nothing copied, devices still shows the old version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-e2e-stick-ro-'));
    work = dir;
    const trusted = join(dir, 'trusted');
    mkdirSync(trusted);
    daemon = await startDaemon({ simulate: 1, args: ['--trusted-keys', trusted, '--simulator-timing', JSON.stringify({ stickReadOnly: true, timed: false })] });
    const ctl = (args: string[]) => runFiscalctl(daemon!, args);
    expect((await ctl(['package', 'keygen', '--out', join(dir, 'vendor')])).code).toBe(0);
    copyFileSync(join(dir, 'vendor.pub'), join(trusted, 'vendor.pub'));
    const [device] = await devicesOf(daemon!);
    const before = device!.identity!.firmwareVersion;
    writeFileSync(join(dir, 'fw.bin'), Buffer.alloc(8 * 1024, 0x11));
    const built = await ctl(['package', 'build', '--image', join(dir, 'fw.bin'), '--version', '9.5.0', '--model', device!.identity!.model,
      '--lowest', '0.0.1', '--key', join(dir, 'vendor.key'), '-o', join(dir, 'fw.fwpkg')]);
    expect(built.code, built.stderr).toBe(0);
    const refused = await ctl(['upgrade', device!.id, '--package', join(dir, 'fw.fwpkg'), '--path', 'usb-stick', '--yes', '--json']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain('STICK_READ_ONLY');
    expect(existsSync(join(daemon.dataDir, 'simulator', 'stick', 'volume', 'FISCAL', 'UPGRADE'))).toBe(false);
    const after = (JSON.parse((await ctl(['devices', '--json'])).stdout) as { devices: DeviceRow[] }).devices[0];
    expect(after?.identity?.firmwareVersion).toBe(before);
  }, 240_000);
});
