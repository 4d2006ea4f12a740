import { describe, expect, it } from 'vitest';
import type { DeviceSnapshot } from '../../../src/devices/Device.js';
import type { DevicePort } from '../../../src/devices/DevicePort.js';
import { JobRunner } from '../../../src/jobs/JobRunner.js';
import { BACKUP_JOB_KIND, backupStages, reconcileBackupJob, runBackupJob } from '../../../src/services/backup/backupJob.js';
import type { BackupStore } from '../../../src/services/backup/BackupStore.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { fakeBackupPort } from './fakeBackupPort.js';
import { tempStore } from './sampleBackup.js';

const DEVICE = 'D1';

/** A backup job as a killed fiscald left it: its row running, its checkpoint written, `upTo` of its run done. */
async function killedBackup(store: Store, backups: BackupStore, upTo: 'committed' | 'reading'): Promise<{ backupId: string | undefined; listedAtCheckpoint: Promise<string[]> }> {
  store.jobs.create({ id: 'job-1', kind: BACKUP_JOB_KIND, deviceId: DEVICE, operator: 'li', params: {}, stages: backupStages, createdAt: new Date().toISOString() });
  let backupId: string | undefined;
  let listedAtCheckpoint: Promise<string[]> = Promise.resolve([]);
  const controller = new AbortController();
  const ctx = {
    signal: controller.signal, stage: () => undefined, record: () => undefined,
    progress: () => {
      if (upTo === 'reading') controller.abort(new Error('killed'));
    },
    checkpoint: (data: Record<string, unknown>) => {
      store.jobs.setCheckpoint('job-1', data);
      backupId = data.backupId as string;
      listedAtCheckpoint = backups.list().then((list) => list.map((b) => b.id));
    },
  };
  await runBackupJob(ctx, fakeBackupPort({ days: 5, invoicesPerDay: 3 }), backups).catch(() => undefined);
  return { backupId, listedAtCheckpoint };
}

/** Restarts over the same store and lets the device come back online. */
async function restart(store: Store, backups: BackupStore): Promise<JobRunner> {
  const runner = new JobRunner({ store, definitions: [{ kind: BACKUP_JOB_KIND, reconcile: (job) => reconcileBackupJob(job, backups) }] });
  await runner.reconcile();
  expect(store.jobs.get('job-1')?.state).toBe('waiting');
  const device: DeviceSnapshot = { id: DEVICE, state: 'online', transport: { kind: 'memory', path: 'm' }, simulated: true };
  const port: DevicePort = { withDevice: (id, _signal, fn) => fn({ id, identity: {} as never, session: {} as never, slot: () => ({}) as never, reattach: async () => ({}) as never }) };
  runner.followDevices({ port, onEvent: () => () => undefined, get: () => device, list: () => [device] });
  await new Promise((resolve) => setImmediate(resolve));
  await runner.reconciled();
  return runner;
}

describe('reconciling a backup job', () => {
  it('a backup committed before the kill is reconciled as succeeded, with its id in the job result and the service record', async () => {
    const store = openStore(':memory:');
    const backups = await tempStore();
    const { backupId, listedAtCheckpoint } = await killedBackup(store, backups, 'committed');
    expect(backupId).toBeDefined();
    // The id was checkpointed before the backup was renamed into place.
    expect(await listedAtCheckpoint).not.toContain(backupId);
    expect((await backups.list()).map((b) => b.id)).toContain(backupId);
    await restart(store, backups);
    expect(store.jobs.get('job-1')).toMatchObject({ state: 'succeeded', result: { backupId, verified: true } });
    expect(store.records.byJob('job-1')).toMatchObject({ result: 'succeeded', after: { backupId } });
    store.close();
  });

  it('a backup killed while reading is reconciled as failed: nothing kept, nothing on the register changed', async () => {
    const store = openStore(':memory:');
    const backups = await tempStore();
    const { backupId } = await killedBackup(store, backups, 'reading');
    expect(backupId).toBeDefined();
    expect(await backups.list()).toEqual([]);
    await restart(store, backups);
    expect(store.jobs.get('job-1')).toMatchObject({ state: 'failed', error: { code: 'INTERRUPTED_BY_RESTART', data: { backupId, committed: false } } });
    expect(store.records.byJob('job-1')).toMatchObject({ result: 'interrupted', errorCode: 'INTERRUPTED_BY_RESTART' });
    store.close();
  });
});
