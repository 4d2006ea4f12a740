import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFactoryState } from '../../fixtures/simulator/state/factoryState.js';
import { BACKUP_FOLDER } from '../../src/services/backup/backupLayout.js';
import { verifyBackupFolder } from '../../src/services/backup/verifyBackupFolder.js';
import { eventually, removeDataDir, startDaemon, tempDataDir, type RunningDaemon } from '../helpers/daemon.js';
import { readJobEvents } from './sse.js';

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

/** Kills the daemon as soon as a `.tmp-*` folder shows in the machine's backups folder: the backup has begun. */
async function killWhenTemporaryAppears(running: RunningDaemon): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await readdir(machineDir).catch(() => [] as string[])).some((n) => n.startsWith('.tmp-'))) {
    if (Date.now() > deadline) throw new Error('no temporary backup folder appeared');
    await new Promise((r) => setTimeout(r, 2));
  }
  await running.kill9();
}

/** Kills the daemon on the job's first progress event past `fraction` of the records read. */
async function killOnProgress(running: RunningDaemon, job: string, fraction: number): Promise<void> {
  let killing: Promise<void> | undefined;
  await readJobEvents(`${running.url}/v1/jobs/${job}/events`, running.token, (event) => {
    if (event.event === 'progress' && Number(event.data.fraction) >= fraction && !killing) killing = running.kill9();
  });
  expect(killing, `no progress event reached ${fraction}`).toBeDefined();
  await killing;
}

describe('kill -9 of fiscald during a backup', () => {
  it('never leaves a backup that lists without verifying; the restart removes the leftover and fails the job', async () => {
    daemon = await startDaemon({ dataDir, simulate: 1 });
    // One whole backup first, so there is a complete one the kills must leave alone.
    const first = await startBackup();
    await eventually(async () => ((await jobState(first)).state === 'succeeded' ? true : undefined), 60_000);
    expect((await onDisk()).complete).toHaveLength(1);

    // Kill points come from the backup itself, not from a clock: as its folder is made, and half-way
    // through its records.
    const killPoints = [
      (running: RunningDaemon) => killWhenTemporaryAppears(running),
      (running: RunningDaemon, job: string) => killOnProgress(running, job, 0.5),
    ];
    for (const killPoint of killPoints) {
      const job = await startBackup();
      await killPoint(daemon, job);
      const killed = await onDisk();
      // The kill landed inside the backup: its temporary folder is still there, nothing new completed.
      expect(killed.temporary).toHaveLength(1);
      expect(killed.complete).toHaveLength(1);

      daemon = await startDaemon({ dataDir, simulate: 1 });
      const after = await onDisk();
      expect(after.temporary).toEqual([]);
      expect(after.complete).toEqual(killed.complete);
      // The job waits for its register, then is reconciled (src/jobs/ENGINE.md): its backup was never committed.
      const settled = await eventually(async () => {
        const state = await jobState(job);
        return state.state === 'waiting' ? undefined : state;
      }, 30_000);
      expect(settled).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART', data: { committed: false } } });
      const { backups } = (await (await api(`/v1/devices/${machine}/backups`)).json()) as { backups: { id: string }[] };
      expect(backups).toHaveLength(after.complete.length);
      for (const backup of backups) {
        const verified = (await (await api(`/v1/backups/${backup.id}/verify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"compareWithDevice":false}' })).json()) as { ok: boolean };
        expect(verified.ok).toBe(true);
      }
    }
  }, 180_000);
});
