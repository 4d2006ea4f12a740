import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcessDaemon, type InProcessDaemon } from './daemonHarness.js';

/**
 * The deregistration's backup gate reuses a recent backup only while nothing has changed on the register since:
 * a backup, then a roll and a registration change, then deregistration makes a new backup (the old one no
 * longer matches the register: more rolls, another initialization record).
 */
let d: InProcessDaemon;
beforeAll(async () => { d = await startInProcessDaemon(); }, 60_000);
afterAll(async () => { await d.stop(); });

async function run(url: string, payload: object): Promise<{ state: string; result: Record<string, unknown>; error?: unknown }> {
  const started = await d.request({ method: 'POST', url, payload, headers: { 'x-operator': 'gate-test' } });
  expect(started.statusCode, started.body).toBe(202);
  const job = await d.daemon.jobs.settled((started.json() as { job: { id: string } }).job.id);
  expect(job?.state, JSON.stringify(job?.error)).toBe('succeeded');
  return job as unknown as { state: string; result: Record<string, unknown> };
}

describe('the deregistration backup gate after changes', () => {
  it('backup, then a roll and a basic-info change, then deregister: a new backup is made, not the earlier one reused', async () => {
    const id = d.initialized.id;
    const first = await run(`/v1/devices/${id}/backups`, {});
    const firstId = (first.result as { backupId?: string; id?: string }).backupId ?? (first.result as { id?: string }).id;
    expect(firstId).toBeDefined();
    await run(`/v1/devices/${id}/rolls`, {});
    await run(`/v1/devices/${id}/changes`, { kind: 'basic-info', taxpayerName: '深圳市门禁测试有限公司' });
    const deregistration = await run(`/v1/devices/${id}/deregister`, { allowUndeclared: true });
    const backup = (deregistration.result as { backup: { backupId: string; reused: boolean } }).backup;
    expect(backup.reused).toBe(false);
    expect(backup.backupId).not.toBe(firstId);
  }, 120_000);
});
