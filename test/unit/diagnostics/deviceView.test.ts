import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer } from '../../../src/api/buildServer.js';
import { diagnosticsRoutes } from '../../../src/api/routes/diagnosticsRoutes.js';
import { runCli } from '../../../src/cli/runCli.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { silentLogger } from '../../../src/log.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { FakeDirectory, snapshot, TOKEN } from '../api/apiHarness.js';
import { lendingPort } from '../../helpers/fakeDevicePort.js';
import { diagnosable, type Diagnosable } from './diagnosticsHarness.js';

interface Fiscal {
  fiscalState: string; taxpayer: { name: string; id: string } | null; issueDeadline: string | null;
  lastDiagnosis: { id: string; verdict: string; worst: { id: string } | null } | null;
  lastBackup: { backupId: string | null } | null; cards: { fiscal: boolean | null; user: boolean | null };
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => { for (const f of cleanup.splice(0).reverse()) await f(); });

async function setUp(state: 'online' | 'bootloader' = 'online') {
  const d: Diagnosable = await diagnosable();
  cleanup.push(() => d.close());
  const id = d.port.machineNumber;
  const store: Store = openStore(':memory:');
  const jobs = new JobRunner({ store });
  const app: FastifyInstance = await buildServer(
    { jobs, store, devices: new FakeDirectory([snapshot(id, state)]), logger: silentLogger, version: 'test' },
    { token: TOKEN, port: () => (app.server.address() as AddressInfo).port, corsOrigins: [], plugins: [diagnosticsRoutes(lendingPort(), () => d.port)] },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanup.push(async () => { await jobs.drain(1000); await app.close(); store.close(); });
  const port = (app.server.address() as AddressInfo).port;
  const headers = { host: `127.0.0.1:${port}`, authorization: `Bearer ${TOKEN}` };
  const get = async (url: string) => (await app.inject({ method: 'GET', url, headers })).json();
  const diagnose = async () => {
    const started = (await app.inject({ method: 'POST', url: `/v1/devices/${id}/diagnostics`, headers: { ...headers, 'x-operator': 'li' } })).json();
    await jobs.settled(started.job.id);
    return started.job.id as string;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-view-'));
  writeFileSync(join(dataDir, 'token'), `${TOKEN}\n`, { mode: 0o600 });
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const cli = async (args: string[]) => {
    let stdout = '';
    await runCli(args, {
      stdout: { write: (t: string) => { stdout += t; } }, stderr: { write: () => undefined, isTTY: false },
      env: { FISCALD_URL: `http://127.0.0.1:${port}`, FISCALD_DATA_DIR: dataDir, LANG: 'C', FISCAL_OPERATOR: 'li' },
    });
    return stdout;
  };
  const record = (action: string, at: string, after: unknown = null) => store.records.insert({
    at, operator: 'li', deviceId: id, machineNumber: id, action, params: {}, before: null, after, result: 'succeeded', errorCode: null, jobId: null,
  });
  return { d, id, store, get, diagnose, cli, record };
}

describe('the device view tells the truth at a glance', () => {
  it('before any diagnosis: unknown; after one: initialized, taxpayer, issue deadline, last diagnosis, cards, in the list and the one', async () => {
    const s = await setUp();
    expect(((await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal).fiscalState).toBe('unknown');
    const jobId = await s.diagnose();
    const one = (await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal;
    expect(one.fiscalState).toBe('initialized');
    expect(one.taxpayer?.name).toMatch(/[\u4e00-\u9fff]/);
    expect(one.issueDeadline).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(one.lastDiagnosis).toMatchObject({ id: jobId, verdict: 'ok', worst: null });
    expect(one.cards).toEqual({ fiscal: true, user: true });
    expect(one.lastBackup).toBeNull();
    const list = (await s.get('/v1/devices')).devices as { fiscal: Fiscal }[];
    expect(list[0]!.fiscal).toEqual(one);
  });

  it('a fault shows as the worst finding; a backup and a deregistration recorded show; a register initialized again is initialized', async () => {
    const s = await setUp();
    s.d.register.simulator.removeCard('fiscal');
    await s.diagnose();
    s.record('backup', '2026-12-01T08:00:00.000Z', { backupId: 'bk-1', problems: 0 });
    let view = (await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal;
    expect(view.lastDiagnosis).toMatchObject({ verdict: 'fault', worst: { id: 'card.fiscal.present' } });
    expect(view.cards.fiscal).toBe(false);
    expect(view.lastBackup?.backupId).toBe('bk-1');
    s.record('deregister', '2026-12-02T08:00:00.000Z');
    view = (await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal;
    expect(view.fiscalState).toBe('deregistered');
    s.record('initialize', '2026-12-03T08:00:00.000Z');
    expect(((await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal).fiscalState).toBe('initialized');
  });

  it('a deregistered register diagnosed says so (fiscal.state warns, naming the date)', async () => {
    const s = await setUp();
    s.record('deregister', '2026-12-02T08:00:00.000Z');
    const jobId = await s.diagnose();
    const report = (await s.get(`/v1/diagnostics/${jobId}`)).report as { checks: { id: string; status: string; facts: { state?: string } }[] };
    expect(report.checks.find((c) => c.id === 'fiscal.state')).toMatchObject({ status: 'warning', facts: { state: 'deregistered' } });
  });

  it('a register in its bootloader reads "in bootloader"', async () => {
    const s = await setUp('bootloader');
    expect(((await s.get(`/v1/devices/${s.id}`)).fiscal as Fiscal).fiscalState).toBe('bootloader');
  });

  it('fiscalctl devices and info show it in Chinese with no English word, and in English', async () => {
    const s = await setUp();
    await s.diagnose();
    s.record('backup', '2026-12-01T08:00:00.000Z', { backupId: 'bk-1', problems: 0 });
    const info = await s.cli(['info', s.id, '--lang', 'zh']);
    expect(info).toMatch(/税控状态\s+已初始化/);
    expect(info).toMatch(/开票截止日期\s+\d{4}-\d{2}-\d{2}/);
    expect(info).toMatch(/最近诊断\s+.*正常/);
    expect(info).toMatch(/卡片\s+税控卡已插，用户卡已插/);
    const words = info.replace(/bk-1|memory:\S+|\(memory\)|SIM-\S*|[A-Z]-?\d+\S*/g, '').match(/[A-Za-z]{3,}/g);
    expect(words).toBeNull();
    const devices = await s.cli(['devices', '--lang', 'zh']);
    expect(devices).toMatch(/税控状态/);
    expect(devices).toMatch(/已初始化/);
    const en = await s.cli(['info', s.id]);
    expect(en).toMatch(/fiscal state\s+initialized/);
    expect(en).toMatch(/last backup\s+.*bk-1/);
  });
});
