import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../fixtures/simulator/createSimulatedRegister.js';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { buildServer } from '../../src/api/buildServer.js';
import { backupArea, type BackupArea } from '../../src/daemon/areas/backup.js';
import { createDevicePort } from '../../src/devices/lease/devicePort.js';
import { DeviceRegistry } from '../../src/devices/DeviceRegistry.js';
import type { RegisterSession } from '../../src/devices/RegisterSession.js';
import { registerSessionLink } from '../../src/devices/registry/registerSessionLink.js';
import { JobRunner } from '../../src/jobs/JobRunner.js';
import { silentLogger } from '../../src/log.js';
import { verifyBackupArchive } from '../../src/services/backup/BackupArchive.js';
import { CHECKSUMS_FILE, MANIFEST_FILE, MANIFEST_HASH_FILE } from '../../src/services/backup/BackupManifest.js';
import { openStore, type Store } from '../../src/store/Store.js';
import { removeDataDir, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { entryPoint } from '../helpers/entryPoints.js';

const TOKEN = 'backup-e2e-token-0123456789';
const DAYS = 730;

/**
 * The backup path as the daemon composes it (registry, DevicePort, backup area, API, job runner) against a
 * simulated register with two years of history. The line model is off (`timed: false`) to keep the
 * test short; bench/backup-simulator.ts measures the real line.
 */
describe(`backup of a register with ${DAYS} days of history, through the API`, () => {
  let register: SimulatedRegister;
  let replacement: SimulatedRegister;
  let registry: DeviceRegistry<RegisterSession>;
  let store: Store;
  let jobs: JobRunner;
  let backup: BackupArea;
  let app: Awaited<ReturnType<typeof buildServer>>;
  let machine: string;
  let dataDir: string | undefined;

  const request = (options: InjectOptions) => app.inject({ ...options, headers: { host: '127.0.0.1:18240', authorization: `Bearer ${TOKEN}`, 'x-operator': 'e2e', ...options.headers } });

  async function backupJob() {
    const started = await request({ method: 'POST', url: `/v1/devices/${machine}/backups` });
    expect(started.statusCode, started.body).toBe(202);
    const row = await jobs.settled(started.json().job.id);
    expect(row?.state, JSON.stringify(row?.error)).toBe('succeeded');
    return row!.result as { backupId: string; counts: Record<string, number>; problemCount: number; problems: { check: string; kind: string; seq?: number; message: string }[] };
  }

  beforeAll(async () => {
    register = await createSimulatedRegister({ seed: 11, history: { days: DAYS, invoicesPerDay: 5 }, timing: { timed: false } });
    machine = register.state.identity.machineNumber;
    // The machine that replaces it: initialized for the same taxpayer with its own fiscal card, a few days old.
    replacement = await createSimulatedRegister({ seed: 12, history: { days: 3, invoicesPerDay: 1 }, timing: { timed: false } });
    registry = new DeviceRegistry<RegisterSession>({ link: registerSessionLink() });
    registry.add(register.transport, { simulated: true });
    registry.add(replacement.transport, { simulated: true });
    const ids = [machine, replacement.state.identity.machineNumber];
    for (let i = 0; i < 200 && !ids.every((id) => registry.get(id)?.state === 'online'); i++) await new Promise((r) => setTimeout(r, 20));
    dataDir = await mkdtemp(join(tmpdir(), 'fg-backup-e2e-'));
    // What a killed backup leaves behind is gone once the daemon's backup area starts.
    await mkdir(join(dataDir, 'backups', machine, '.tmp-leftover000'), { recursive: true });
    store = openStore(':memory:');
    jobs = new JobRunner({ store });
    backup = await backupArea({ devices: createDevicePort(registry, jobs), registers: registry, dataDir, logger: silentLogger });
    for (const definition of backup.definitions) jobs.define(definition);
    expect(await readdir(join(dataDir, 'backups', machine))).toEqual([]);
    app = await buildServer(
      { jobs, store, devices: registry, logger: silentLogger, version: 'e2e' },
      { token: TOKEN, port: () => 18240, plugins: backup.plugins },
    );
  }, 120_000);

  afterAll(async () => {
    await jobs?.drain(5000);
    await app?.close();
    await registry?.close();
    await register?.close();
    await replacement?.close();
    store?.close();
    if (dataDir !== undefined) removeDataDir(dataDir);
  });

  it('backs up everything: counts equal the simulator\'s, no problems, verify passes and agrees with the device', async () => {
    const result = await backupJob();
    const memory = register.simulator.memory.counts();
    expect(memory.invoices).toBeGreaterThan(2000);
    expect(result.counts).toMatchObject({
      invoices: memory.invoices, daily: memory.dailyRecords, declarations: memory.declarations, rolls: memory.rolls,
      factory: 1, 'user-info': 1, 'cards/fiscal-EF02': 1,
    });
    expect(memory.dailyRecords).toBe(DAYS);
    expect(result.problems).toEqual([]);

    const verified = await request({ method: 'POST', url: `/v1/backups/${result.backupId}/verify` });
    expect(verified.json()).toMatchObject({ ok: true, failures: [], device: { compared: true, matches: true, changedRecords: [] } });

    const archive = await request({ method: 'GET', url: `/v1/backups/${result.backupId}/archive` });
    expect(archive.statusCode).toBe(200);
    const report = await verifyBackupArchive((async function* () { yield new Uint8Array(archive.rawPayload); })());
    expect(report.ok).toBe(true);
  }, 120_000);

  it('fails verify naming the file when one byte of any file is flipped', async () => {
    const [latest] = await backup.store.list({ device: machine });
    const { dir, manifest } = { dir: latest!.dir, manifest: await backup.store.manifest(latest!.id) };
    const files = [...manifest.files.map((f) => f.path), MANIFEST_FILE, MANIFEST_HASH_FILE, CHECKSUMS_FILE];
    expect(files.length).toBeGreaterThan(30);
    for (const file of files) {
      const path = join(dir, file);
      const original = await readFile(path);
      if (original.length === 0) continue;
      const flipped = Buffer.from(original);
      flipped[Math.floor(original.length / 2)] ^= 0x20;
      await writeFile(path, flipped);
      const verified = (await request({ method: 'POST', url: `/v1/backups/${latest!.id}/verify`, payload: { compareWithDevice: false } })).json();
      await writeFile(path, original);
      expect(verified.ok, file).toBe(false);
      expect(verified.failures.map((f: { file: string }) => f.file), file).toContain(file);
    }
    expect((await backup.store.verify(latest!.id)).ok).toBe(true);
  }, 120_000);

  it('names a corrupted record in the manifest and the job result (fault injection)', async () => {
    const index = register.state.fiscal.invoices.findIndex((invoice, i) => i > 1000 && invoice.kind === 'normal');
    register.simulator.corruptRecord('invoice', index);
    const result = await backupJob();
    expect(result.problems).toContainEqual(expect.objectContaining({ check: 'record-check', kind: 'invoices', seq: index }));
    expect(result.problems).toContainEqual(expect.objectContaining({ check: 'self-check', kind: 'status' }));
    const manifest = await backup.store.manifest(result.backupId);
    expect(manifest.problems.find((p) => p.kind === 'invoices')?.message).toMatch(/not the sum of its items/);
  }, 120_000);

  it('restores the taxpayer parameters onto the replacement register, names both machines, and refuses the same machine', async () => {
    const target = replacement.state.identity.machineNumber;
    const renamed = '深圳市示例商贸新名称有限公司';
    await registry.withSession(machine, async (session) => {
      const info = await session.userInfo();
      await session.updateTaxpayer({ taxpayerName: renamed, officeCode: info.officeCode, declarationMode: info.declarationMode });
    });
    const { backupId } = await backupJob();
    const restore = async (device: string, body: object) => {
      const started = await request({ method: 'POST', url: `/v1/devices/${device}/restore`, payload: body });
      expect(started.statusCode, started.body).toBe(202);
      return (await jobs.settled(started.json().job.id))!;
    };
    const dry = await restore(target, { backup: backupId, dryRun: true });
    expect(dry.state, JSON.stringify(dry.error)).toBe('succeeded');
    expect(dry.result).toMatchObject({ dryRun: true, applied: 0, steps: [{ command: '62', to: { taxpayerName: renamed } }] });
    expect(await registry.withSession(target, (s) => s.userInfo())).not.toMatchObject({ taxpayerName: renamed });

    const done = await restore(target, { backup: backupId });
    expect(done.state, JSON.stringify(done.error)).toBe('succeeded');
    expect(done.result).toMatchObject({ fromMachine: machine, toMachine: target, applied: 1, alreadyEqual: ['tax items'] });
    expect((done.result as { notRestored: { what: string }[] }).notRestored.map((n) => n.what)).toContain('fiscal memory');
    expect(await registry.withSession(target, (s) => s.userInfo())).toMatchObject({ taxpayerName: renamed });
    expect(done.record).toMatchObject({ action: 'restore', machineNumber: target, before: { fromMachine: machine, toMachine: target }, after: { applied: 1 } });
    expect(replacement.simulator.memory.counts().invoices).toBe(replacement.history!.invoices);

    const same = await restore(machine, { backup: backupId });
    expect(same.state).toBe('failed');
    expect(same.error).toMatchObject({ code: 'RESTORE_REFUSED' });
  }, 120_000);
});

const root = resolve(import.meta.dirname, '..', '..');

function fiscalctl(daemon: RunningDaemon, args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, [...entryPoint('fiscalctl'), ...args], {
      cwd: root, env: { ...process.env, FISCALD_URL: daemon.url, FISCALD_DATA_DIR: daemon.dataDir, FISCALD_TOKEN: '', LANG: 'C' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
    child.on('exit', (code) => resolveRun({ code, stdout }));
  });
}

describe('fiscald --simulate: backup wired into the daemon', () => {
  let daemon: RunningDaemon;
  beforeAll(async () => { daemon = await startDaemon({ simulate: 1 }); }, 60_000);
  afterAll(async () => {
    await daemon?.stop();
    if (daemon) removeDataDir(daemon.dataDir);
  });

  it('fiscalctl backup, backups and verify-backup against the simulated register', async () => {
    const machine = createFactoryState({ seed: 1 }).identity.machineNumber;
    const made = await fiscalctl(daemon, ['backup', machine, '--json']);
    expect(made.code, made.stdout).toBe(0);
    const listed = await fiscalctl(daemon, ['backups', machine, '--json']);
    expect(listed.code).toBe(0);
    const backups = JSON.parse(listed.stdout).backups as { id: string; machineNumber: string }[];
    expect(backups).toHaveLength(1);
    expect(backups[0]!.machineNumber).toBe(machine);
    const verified = await fiscalctl(daemon, ['verify-backup', backups[0]!.id, '--json']);
    expect(verified.code, verified.stdout).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true });

    // A restore onto the machine the backup came from is refused (exit 3), and --backup is required (exit 2).
    const same = await fiscalctl(daemon, ['restore', machine, '--backup', backups[0]!.id, '--yes', '--json']);
    expect(same.code, same.stdout).toBe(3);
    expect(JSON.parse(same.stdout)).toMatchObject({ job: { state: 'failed', error: { code: 'RESTORE_REFUSED' } } });
    expect((await fiscalctl(daemon, ['restore', machine])).code).toBe(2);
  }, 60_000);
});
