import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { BACKUP_FOLDER } from '../../src/services/backup/backupLayout.js';
import { verifyBackupFolder } from '../../src/services/backup/verifyBackupFolder.js';
import { eventually, removeDataDir, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';

const dataDir = tempDataDir();
const machine = createFactoryState({ seed: 1 }).identity.machineNumber;
const machineDir = join(dataDir, 'backups', machine);
let daemon: RunningDaemon | undefined;

afterAll(async () => {
  await daemon?.stop();
  removeDataDir(dataDir);
});

function api(path: string, init: RequestInit = {}) {
  return fetch(`${daemon!.url}${path}`, { ...init, headers: { authorization: `Bearer ${daemon!.token}`, 'x-operator': 'kill-test', ...init.headers } });
}

async function startBackup(): Promise<string> {
  const started = await api(`/v1/devices/${machine}/backups`, { method: 'POST' });
  expect(started.status).toBe(202);
  return ((await started.json()) as { job: { id: string } }).job.id;
}

async function jobState(id: string): Promise<{ state: string; error?: { code: string } }> {
  return (await api(`/v1/jobs/${id}`)).json() as Promise<{ state: string; error?: { code: string } }>;
}

/** Every folder named like a complete backup verifies; returns the names of both kinds. */
async function onDisk(): Promise<{ complete: string[]; temporary: string[] }> {
  const names = await readdir(machineDir).catch(() => [] as string[]);
  const complete = names.filter((n) => BACKUP_FOLDER.test(n));
  for (const name of complete) expect((await verifyBackupFolder(join(machineDir, name))).failures, name).toEqual([]);
  return { complete, temporary: names.filter((n) => n.startsWith('.tmp-')) };
}

describe('kill -9 of fiscald during a backup', () => {
  it('never leaves a backup that lists without verifying; the restart removes the leftover and fails the job', async () => {
    daemon = await startDaemon({ dataDir, simulate: 1 });
    // One whole backup first, to learn how long one takes on this machine.
    const t0 = performance.now();
    const first = await startBackup();
    await eventually(async () => ((await jobState(first)).state === 'succeeded' ? true : undefined), 60_000);
    const duration = performance.now() - t0;
    expect((await onDisk()).complete).toHaveLength(1);

    let leftovers = 0;
    for (const fraction of [0.3 + Math.random() * 0.2, 0.6 + Math.random() * 0.3]) {
      const job = await startBackup();
      await new Promise((r) => setTimeout(r, duration * fraction));
      const finished = (await jobState(job)).state === 'succeeded';
      await daemon.kill9();
      const killed = await onDisk();
      leftovers += killed.temporary.length;

      daemon = await startDaemon({ dataDir, simulate: 1 });
      const after = await onDisk();
      expect(after.temporary).toEqual([]);
      expect(after.complete).toEqual(killed.complete);
      const state = await jobState(job);
      if (!finished && killed.complete.length === 1) expect(state).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART' } });
      const { backups } = (await (await api(`/v1/devices/${machine}/backups`)).json()) as { backups: { id: string }[] };
      expect(backups).toHaveLength(after.complete.length);
      for (const backup of backups) {
        const verified = (await (await api(`/v1/backups/${backup.id}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"compareWithDevice":false}' })).json()) as { ok: boolean };
        expect(verified.ok).toBe(true);
      }
    }
    // At least one kill landed inside a backup, with its temporary folder on disk.
    expect(leftovers).toBeGreaterThan(0);
  }, 180_000);
});
