import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { BackupManifestSchema } from '../../src/services/backup/BackupManifest.js';
import { removeDataDir, startDaemon, type RunningDaemon } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

/**
 * Issue 10 acceptance: a register on public firmware (no 70–7F, no 3C: GB link SPEC §5.0) is identified,
 * diagnosed and backed up end to end through fiscald, and the backup's manifest names the checks it could
 * not make. The second simulated register carries a year of history; the line model is off to keep it short.
 */
let daemon: RunningDaemon;
const machine = createFactoryState({ seed: 2 }).identity.machineNumber;

beforeAll(async () => {
  daemon = await startDaemon({ simulate: 2, args: ['--simulator-profile', 'public', '--simulator-timing', '{"timed":false}'] });
}, 120_000);
afterAll(async () => {
  const code = await daemon.stop();
  removeDataDir(daemon.dataDir);
  expect(code).toBe(0);
});

function api(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${daemon.url}${path}`, { ...init, headers: { authorization: `Bearer ${daemon.token}`, 'x-operator': 'e2e', ...init.headers } });
}

async function runJob(path: string): Promise<{ state: string; result: Record<string, unknown>; error?: unknown }> {
  const started = await api(path, { method: 'POST' });
  expect(started.status, await started.clone().text()).toBe(202);
  const { job } = (await started.json()) as { job: { id: string } };
  const events = await readJobEvents(`${daemon.url}/v1/jobs/${job.id}/events`, daemon.token);
  const end = events.at(-1)!;
  expect(end.event).toBe('end');
  return end.data as { state: string; result: Record<string, unknown>; error?: unknown };
}

describe('fiscald --simulate --simulator-profile public', () => {
  it('identifies both registers: public firmware is above the minimum', async () => {
    const { devices } = (await (await api('/v1/devices')).json()) as { devices: { id: string; state: string }[] };
    expect(devices.map((d) => d.state)).toEqual(['online', 'online']);
    expect(devices.map((d) => d.id)).toContain(machine);
  });

  it('diagnoses the register', async () => {
    const end = await runJob(`/v1/devices/${machine}/diagnostics`);
    expect(end.state, JSON.stringify(end.error)).toBe('succeeded');
    expect(end.result).toMatchObject({ machineNumber: machine });
    expect(end.result.verdict).not.toBe('fault');
  });

  it('backs it up completely, and the manifest names the checks it could not make (72, 73, 3C)', async () => {
    const end = await runJob(`/v1/devices/${machine}/backups`);
    expect(end.state, JSON.stringify(end.error)).toBe('succeeded');
    const result = end.result as { backupId: string; problemCount: number; counts: Record<string, number> };
    expect(result.problemCount).toBe(0);
    expect(result.counts.invoices).toBeGreaterThan(1000);
    const shown = await api(`/v1/backups/${result.backupId}`);
    expect(shown.status).toBe(200);
    const manifest = BackupManifestSchema.parse(((await shown.json()) as { manifest: unknown }).manifest);
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds.invoices).toMatchObject({ records: result.counts.invoices, expected: result.counts.invoices });
    expect(manifest.kinds.counts).toBeUndefined();
    expect((manifest.skipped ?? []).map((s) => [s.kind, s.command])).toEqual([['counts', '72'], ['init-history', '73'], ['roll-summaries', '3C']]);
    for (const skipped of manifest.skipped ?? []) expect(skipped.reason.length).toBeGreaterThan(20);
    const verified = await api(`/v1/backups/${result.backupId}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(verified.status, await verified.clone().text()).toBe(200);
    expect(await verified.json()).toMatchObject({ ok: true, failures: [] });
  });
});
