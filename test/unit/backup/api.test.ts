import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { backupsRoutes } from '../../../src/api/routes/backupsRoutes.js';
import type { DeviceSnapshot } from '../../../src/devices/Device.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import type { BackupDevices } from '../../../src/services/backup/BackupDevices.js';
import { lendingPort } from '../../helpers/fakeDevicePort.js';
import { verifyBackupArchive } from '../../../src/services/backup/BackupArchive.js';
import type { BackupPort } from '../../../src/services/backup/BackupPort.js';
import { openStore } from '../../../src/store/Store.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { fakeBackupPort, type FakeRegisterOptions } from './fakeBackupPort.js';
import { copyToStick } from '../../../drivers/stick/copyToStick.js';
import type { StickWriter } from '../../../src/services/backup/exportBackupToStick.js';
import { fakeStickTree } from '../stick/fakeStickTree.js';
import { sampleDevice, tempStore } from './sampleBackup.js';

const TOKEN = 'backup-test-token-0123';
const operator = { 'x-operator': encodeURIComponent('李工') };

async function harness(registerOptions: FakeRegisterOptions = {}) {
  const backups = await tempStore();
  const store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  const device: DeviceSnapshot = {
    id: sampleDevice.id, state: 'online', simulated: true, transport: { kind: 'memory', path: 'memory:1' },
    identity: { machineNumber: sampleDevice.machineNumber, model: 'SIM-1', hardwareRevision: 'A', firmwareVersion: '1.2.3', bootloaderVersion: '1.0.0' },
  };
  const state = { options: registerOptions };
  const access: BackupDevices = {
    port: lendingPort(),
    backupPortOf: async (): Promise<BackupPort> => fakeBackupPort(state.options),
    restoreTargetOf: (device) => Promise.reject(new GatewayError('DEVICE_OFFLINE', { params: { id: device.id } })),
  };
  const sticks = await fakeStickTree();
  const stick: StickWriter = async (source, target, mountPoint) => {
    const copy = await copyToStick(source, target, { roots: sticks.roots, ...(mountPoint === undefined ? {} : { mountPoint }) });
    return { mountPoint: copy.volume.mountPoint, path: copy.path, checksumPath: copy.checksumPath, bytes: copy.bytes, sha256: copy.sha256 };
  };
  const app = await buildServer(
    { jobs, store, devices: { list: () => [device], get: (id) => (id === device.id ? device : undefined) }, logger: silentLogger, version: 'test' },
    { token: TOKEN, port: () => 18240, plugins: [backupsRoutes({ store: backups, devices: access, stick })] },
  );
  const request = (options: InjectOptions) => app.inject({ ...options, headers: { host: '127.0.0.1:18240', authorization: `Bearer ${TOKEN}`, ...options.headers } });
  const close = async () => {
    await jobs.drain(1000);
    await app.close();
    store.close();
  };
  return { app, backups, store, jobs, state, request, close, sticks };
}

let closeHarness: (() => Promise<void>) | undefined;
afterEach(async () => {
  await closeHarness?.();
  closeHarness = undefined;
});

async function backedUp(h: Awaited<ReturnType<typeof harness>>) {
  const started = await h.request({ method: 'POST', url: `/v1/devices/${sampleDevice.id}/backups`, headers: operator });
  expect(started.statusCode).toBe(202);
  const row = await h.jobs.settled(started.json().job.id);
  expect(row?.state, JSON.stringify(row?.error)).toBe('succeeded');
  return row!;
}

describe('backup API', () => {
  it('runs a backup job whose result names the backup; lists it, shows it and verifies it', async () => {
    const h = await harness({ dropInvoices: [5] });
    closeHarness = h.close;
    const row = await backedUp(h);
    const result = row.result as { backupId: string; counts: Record<string, number>; problemCount: number; verified: boolean };
    expect(result).toMatchObject({ verified: true, problemCount: 1, counts: expect.objectContaining({ invoices: 89, daily: 30 }) });
    const records = h.store.records.list({ device: sampleDevice.id });
    expect(records[0]).toMatchObject({ action: 'backup', result: 'succeeded', operator: '李工', after: { backupId: result.backupId, problems: 1 } });

    const list = await h.request({ method: 'GET', url: `/v1/devices/${sampleDevice.id}/backups` });
    expect(list.json().backups.map((b: { id: string }) => b.id)).toEqual([result.backupId]);
    expect(list.json().backups[0]).not.toHaveProperty('dir');
    const one = await h.request({ method: 'GET', url: `/v1/backups/${result.backupId}` });
    expect(one.json().manifest.problems[0]).toMatchObject({ check: 'invoice-gap' });

    const verify = await h.request({ method: 'POST', url: `/v1/backups/${result.backupId}/verify`, headers: operator, payload: {} });
    expect(verify.json()).toMatchObject({ ok: true, failures: [], device: { compared: true, sameMachine: true, matches: true } });
    expect((await h.request({ method: 'GET', url: '/v1/backups/zzzzzzzzzzzz' })).json().code).toBe('BACKUP_NOT_FOUND');
  });

  it('reports differences with the device, and a damaged file by name; refuses the archive of a damaged backup', async () => {
    const h = await harness();
    closeHarness = h.close;
    const { backupId } = (await backedUp(h)).result as { backupId: string };
    h.state.options = { days: 31 };
    const differs = await h.request({ method: 'POST', url: `/v1/backups/${backupId}/verify`, headers: operator, payload: {} });
    expect(differs.json().device).toMatchObject({ compared: true, matches: false, differences: expect.arrayContaining([{ kind: 'daily', inBackup: 30, onDevice: 31 }]) });

    const dir = (await h.backups.get(backupId)).dir;
    const file = join(dir, 'invoices.jsonl');
    const bytes = await readFile(file);
    bytes[3] ^= 0x01;
    await writeFile(file, bytes);
    const bad = await h.request({ method: 'POST', url: `/v1/backups/${backupId}/verify`, headers: operator, payload: { compareWithDevice: false } });
    expect(bad.json()).toMatchObject({ ok: false, failures: [{ file: 'invoices.jsonl', reason: 'hash' }], device: { compared: false } });
    const archive = await h.request({ method: 'GET', url: `/v1/backups/${backupId}/archive` });
    expect(archive.statusCode).toBe(422);
    expect(archive.json()).toMatchObject({ code: 'BACKUP_VERIFY_FAILED' });
  });

  it('exports a backup onto a USB stick, read back and verified file by file; refuses a damaged backup', async () => {
    const h = await harness();
    closeHarness = h.close;
    const { backupId } = (await backedUp(h)).result as { backupId: string };
    const exported = await h.request({ method: 'POST', url: `/v1/backups/${backupId}/export`, headers: operator, payload: {} });
    expect(exported.statusCode, exported.body).toBe(200);
    const copy = exported.json() as { mountPoint: string; path: string; checksumPath: string; sha256: string; filesVerified: number };
    expect(copy.mountPoint).toBe(h.sticks.stick);
    expect(copy.path.startsWith(join(h.sticks.stick, 'FISCAL', 'BACKUP', sampleDevice.machineNumber))).toBe(true);
    expect(copy.path).toMatch(new RegExp(`${backupId}\\.tar$`));
    expect(await readFile(copy.checksumPath, 'utf8')).toContain(copy.sha256);
    expect(copy.filesVerified).toBeGreaterThan(5);
    expect((await verifyBackupArchive(copy.path)).ok).toBe(true);

    const onReadOnly = await h.request({ method: 'POST', url: `/v1/backups/${backupId}/export`, headers: operator, payload: { mountPoint: h.sticks.readOnlyStick } });
    expect(onReadOnly.json()).toMatchObject({ code: 'STICK_READ_ONLY' });

    const file = join((await h.backups.get(backupId)).dir, 'invoices.jsonl');
    const bytes = await readFile(file);
    bytes[3] ^= 0x01;
    await writeFile(file, bytes);
    const refused = await h.request({ method: 'POST', url: `/v1/backups/${backupId}/export`, headers: operator, payload: {} });
    expect(refused.json()).toMatchObject({ code: 'BACKUP_VERIFY_FAILED' });
  });

  it('serves an archive that the archive verifier accepts', async () => {
    const h = await harness();
    closeHarness = h.close;
    const { backupId } = (await backedUp(h)).result as { backupId: string };
    const archive = await h.request({ method: 'GET', url: `/v1/backups/${backupId}/archive` });
    expect(archive.statusCode).toBe(200);
    expect(archive.headers['content-type']).toBe('application/x-tar');
    expect(archive.headers['content-disposition']).toContain(`${backupId}.tar`);
    const report = await verifyBackupArchive((async function* () { yield archive.rawPayload; })());
    expect(report.ok).toBe(true);
  });

  it('fails the job with BACKUP_READ_FAILED when the register cannot be read, and lists nothing', async () => {
    const h = await harness({ failKind: 'invoices' });
    closeHarness = h.close;
    const started = await h.request({ method: 'POST', url: `/v1/devices/${sampleDevice.id}/backups`, headers: operator });
    const row = await h.jobs.settled(started.json().job.id);
    expect(row).toMatchObject({ state: 'failed', error: { code: 'BACKUP_READ_FAILED' } });
    expect((await h.request({ method: 'GET', url: `/v1/devices/${sampleDevice.id}/backups` })).json().backups).toEqual([]);
  });
});
