import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { databasePath } from '../../src/daemon/paths.js';
import { openStore } from '../../src/store/Store.js';
import { removeDataDir, runFiscalctl, startDaemon, type RunningDaemon } from '../helpers/daemon.js';

/**
 * Initialization end to end: `fiscald --simulate=1` starts one new register with matching cards in
 * its slots; the API and `fiscalctl` read the cards, dry-run, initialize and show the service record.
 */
let daemon: RunningDaemon;
const machineNumber = createFactoryState({ seed: 1 }).identity.machineNumber;

beforeAll(async () => { daemon = await startDaemon({ simulate: 1 }); });
afterAll(async () => {
  const code = await daemon.stop();
  removeDataDir(daemon.dataDir);
  expect(code).toBe(0);
});

function api(path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${daemon.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${daemon.token}`, 'x-operator': encodeURIComponent('王工'), 'accept-language': 'zh-CN',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

describe('initialization against fiscald --simulate', () => {
  it('lists the register slots with their cards and decodes both cards', async () => {
    const { readers } = (await (await api('/v1/readers')).json()) as { readers: { name: string; kind: string; card: string }[] };
    expect(readers).toEqual(expect.arrayContaining([
      expect.objectContaining({ name: `${machineNumber}/fiscal`, kind: 'register-slot', card: 'present' }),
      expect.objectContaining({ name: `${machineNumber}/user`, kind: 'register-slot', card: 'present' }),
    ]));
    const fiscal = (await (await api(`/v1/readers/${encodeURIComponent(`${machineNumber}/fiscal`)}/card`)).json()) as { kind: string; fiscal: { machineNumber: string; registration: string } };
    expect(fiscal).toMatchObject({ kind: 'fiscal', fiscal: { machineNumber, registration: 'not-registered' } });
    const card = await runFiscalctl(daemon, ['card', `${machineNumber}/user`]);
    expect(card.code).toBe(0);
    expect(card.stdout).toMatch(/user card|用户卡/);
    expect(card.stdout).toContain(`${machineNumber}/user`);
    expect(card.stdout).toMatch(/13\.00%/);
    const all = await runFiscalctl(daemon, ['card', '--json']);
    expect(all.code).toBe(0);
    const listed = JSON.parse(all.stdout) as { readers: { name: string; report?: { kind: string } }[] };
    expect(listed.readers.find((r) => r.name === `${machineNumber}/fiscal`)?.report?.kind).toBe('fiscal');
  });

  it('dry-runs through the API: every check passed, a token, nothing changed; a bad token is refused', async () => {
    const response = await api(`/v1/devices/${machineNumber}/initialize`, { method: 'POST', body: {} });
    expect(response.status).toBe(200);
    const dry = (await response.json()) as { ok: boolean; plan: string; checks: { id: string; passed: boolean }[]; confirmation: { token: string } };
    expect(dry.ok).toBe(true);
    expect(dry.plan).toBe('fresh');
    expect(dry.checks.filter((c) => !c.passed)).toEqual([]);
    // A wrong token is answered at once: no job, no service record.
    const jobsBefore = (await (await api('/v1/jobs')).json()) as { jobs: unknown[] };
    const bad = await api(`/v1/devices/${machineNumber}/initialize`, { method: 'POST', body: { confirm: 'x'.repeat(32) } });
    expect(bad.status).toBe(409);
    expect(await bad.json()).toMatchObject({ code: 'INIT_TOKEN_INVALID' });
    const jobsAfter = (await (await api('/v1/jobs')).json()) as { jobs: unknown[] };
    expect(jobsAfter.jobs).toHaveLength(jobsBefore.jobs.length);
  });

  it('initializes with fiscalctl init --yes; the read-back matches and the service record shows it', async () => {
    const dry = await runFiscalctl(daemon, ['init', machineNumber, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/--yes/);
    const run = await runFiscalctl(daemon, ['init', machineNumber, '--yes', '--json', '--operator', '王工']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const { job } = JSON.parse(run.stdout) as { job: { state: string; result: { readBack: { field: string; matches: boolean }[]; machineNumber: string } } };
    expect(job.state).toBe('succeeded');
    expect(job.result.machineNumber).toBe(machineNumber);
    expect(job.result.readBack.map((f) => f.field)).toEqual([
      '37.machineNumber', '38.taxpayerNumber', '38.taxpayerId', '38.taxpayerName', '38.officeCode', '38.fiscalCardNumber',
      '38.declarationMode', '38.applicationStartDate', '38.validUntil', '38.initializationDate',
      '39.taxItemCount', '39.taxItem[1]', '39.taxItem[2]', '39.taxItem[3]',
      '41.initialized', '41.fiscalMode', '41.issueDeadline',
    ]);
    expect(job.result.readBack.every((f) => f.matches)).toBe(true);

    const { records } = (await (await api(`/v1/records?device=${machineNumber}`)).json()) as { records: { action: string; result: string; operator: string; before: { register: { initialized: boolean } }; after: { register: { initialized: boolean } } }[] };
    const record = records.find((r) => r.action === 'initialize' && r.result === 'succeeded');
    expect(record).toMatchObject({ operator: '王工', before: { register: { initialized: false } }, after: { register: { initialized: true } } });
    expect(JSON.stringify(records)).not.toMatch(/"pin"\s*:\s*"[0-9a-f]{16}"/);
    // The kept PIN is gone once the register holds it and the read-back matched: the job's checkpoint is closed, without it.
    const store = openStore(databasePath(daemon.dataDir));
    try {
      const checkpoints = store.jobs.checkpointed('initialize').map((j) => j.checkpoint);
      expect(checkpoints).toEqual([expect.objectContaining({ stage: 'closed', pin: null })]);
    } finally {
      store.close();
    }

    const again = await runFiscalctl(daemon, ['init', machineNumber, '--json']);
    expect(again.code).toBe(3);
    expect((JSON.parse(again.stdout) as { dryRun: { error: { code: string } } }).dryRun.error.code).toBe('INIT_ALREADY_INITIALIZED');
  });
});
