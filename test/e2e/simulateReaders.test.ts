import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { eventually, removeDataDir, runFiscalctl, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';

/**
 * `fiscald --simulate` shows virtual card readers next to the register slots: listed, decoded, usable for an
 * initialization; and what a technician did to a simulated register is still there after a restart.
 */
const dataDir = tempDataDir();
const machineNumber = createFactoryState({ seed: 1 }).identity.machineNumber;
let daemon: RunningDaemon | undefined;

afterAll(async () => {
  await daemon?.stop();
  removeDataDir(dataDir);
});

function api(path: string, init: { method?: string; body?: unknown } = {}) {
  return fetch(`${daemon!.url}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      authorization: `Bearer ${daemon!.token}`, 'x-operator': 'sim-test',
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
}

async function json<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const response = await api(path, init);
  expect(response.ok, `${path}: ${response.status}`).toBe(true);
  return (await response.json()) as T;
}

type Card = { kind: string; user?: { cardNumber: string }; fiscal?: { registration: string }; inspection?: { holderName: string } };
const card = (reader: string) => json<Card>(`/v1/readers/${encodeURIComponent(reader)}/card`);

describe('fiscald --simulate: virtual card readers and persistence', () => {
  it('lists the simulated readers beside the register slots and decodes their cards', async () => {
    daemon = await startDaemon({ dataDir, simulate: 1 });
    const { readers } = await json<{ readers: { name: string; kind: string; card: string }[] }>('/v1/readers');
    expect(readers.map((r) => `${r.name}|${r.kind}|${r.card}`)).toEqual([
      'Simulated Reader 0|pcsc|present', 'Simulated Reader 1|pcsc|present', 'Simulated Reader 2|pcsc|present',
      `${machineNumber}/fiscal|register-slot|present`, `${machineNumber}/user|register-slot|present`,
    ]);
    const spare = await card('Simulated Reader 0');
    const slotUser = await card(`${machineNumber}/user`);
    expect(spare.kind).toBe('user');
    expect(spare.user?.cardNumber).toBe(slotUser.user?.cardNumber);
    expect(await card('Simulated Reader 1')).toMatchObject({ kind: 'inspection', inspection: { holderName: '稽查员' } });

    // The web console is served by the same daemon, without a token, under a strict CSP.
    const console = await fetch(`${daemon.url}/`);
    expect(console.status).toBe(200);
    expect(console.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(console.headers.get('content-security-policy')).toMatch(/^default-src 'none'; script-src 'self';/);
    expect(await console.text()).toContain('税控网关控制台');

    const printed = await runFiscalctl(daemon, ['card', 'Simulated Reader 1']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/inspection card|稽查卡/);
    expect(printed.stdout).toContain('Simulated Reader 1');
  });

  it('initializes the new register with its user card in a simulated reader', async () => {
    const dry = await json<{ ok: boolean; checks: { id: string; passed: boolean }[]; confirmation: { token: string } }>(
      `/v1/devices/${machineNumber}/initialize`, { method: 'POST', body: { userReader: 'Simulated Reader 0' } });
    expect(dry.checks.filter((c) => !c.passed)).toEqual([]);
    expect(dry.ok).toBe(true);
    const started = await api(`/v1/devices/${machineNumber}/initialize`, { method: 'POST', body: { userReader: 'Simulated Reader 0', confirm: dry.confirmation.token } });
    expect(started.status).toBe(202);
    const { job } = (await started.json()) as { job: { id: string } };
    const ended = await eventually(async () => {
      const row = await json<{ state: string; params: Record<string, unknown> }>(`/v1/jobs/${job.id}`);
      return row.state === 'running' ? undefined : row;
    });
    expect(ended).toMatchObject({ state: 'succeeded', params: { userReader: 'Simulated Reader 0' } });
    expect((await card(`${machineNumber}/fiscal`)).fiscal?.registration).toBe('registered');
  });

  it('finds the register initialized and the readers with the same cards after a crash and a restart', async () => {
    expect(readdirSync(join(dataDir, 'simulator')).sort()).toEqual(['reader-0-card.json', 'reader-1-card.json', 'register-1.json', 'stick']);
    // Saved after the job's last command, not only at shutdown: even kill -9 loses nothing.
    const saved = () => JSON.parse(readFileSync(join(dataDir, 'simulator', 'register-1.json'), 'utf8')) as { fiscal: { initializations: unknown[] } };
    await eventually(async () => (saved().fiscal.initializations.length > 0 ? true : undefined));
    await daemon!.kill9();
    daemon = await startDaemon({ dataDir, simulate: 1 });
    expect(daemon.output()).toMatch(/"restored":true,"initialized":true/);
    expect((await card(`${machineNumber}/fiscal`)).fiscal?.registration).toBe('registered');
    const dry = await json<{ ok: boolean; plan: string; checks: { id: string; passed: boolean }[] }>(`/v1/devices/${machineNumber}/initialize`, { method: 'POST', body: {} });
    expect(dry.plan).not.toBe('fresh');
    expect(dry.ok).toBe(false);
    expect((await card('Simulated Reader 1')).kind).toBe('inspection');
    expect((await card('Simulated Reader 0')).user?.cardNumber).toBe((await card(`${machineNumber}/user`)).user?.cardNumber);
  });
});
