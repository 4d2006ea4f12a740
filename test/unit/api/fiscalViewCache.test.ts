import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FiscalViewCache, FOREIGN_WRITE_CHECK_MS } from '../../../src/api/FiscalViewCache.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { snapshot } from './apiHarness.js';

const stores: Store[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setUp(path = ':memory:') {
  const store = openStore(path);
  stores.push(store);
  let clock = 0;
  const record = (action: string, at: string, after: unknown = null) => store.records.insert({
    at, operator: 'li', deviceId: 'D1', machineNumber: 'D1', action, params: {}, before: null, after, result: 'succeeded', errorCode: null, jobId: null,
  });
  const cache = new FiscalViewCache(store, { now: () => clock });
  return { store, cache, record, tick: (ms: number) => { clock += ms; } };
}

const report = (initialized: boolean) => ({
  checks: [], verdict: 'ok', worst: null, checkedAt: '2026-12-01T08:00:00.000Z',
  register: { initialized, taxpayer: null, issueDeadline: null, cards: { fiscal: true, user: null } },
});

function diagnosis(store: Store, id: string, createdAt = '2026-12-01T08:00:00.000Z') {
  store.jobs.create({ id, kind: 'diagnostics', deviceId: 'D1', operator: 'li', params: {}, stages: [{ id: 'checks', weight: 1 }], createdAt });
}

describe('the device list keeps each fiscal view until something it reads changes', () => {
  it('answers the same view while nothing changed, and reads again once a record is inserted', () => {
    const { cache, record } = setUp();
    const device = snapshot('D1');
    const first = cache.reader()(device);
    expect(cache.reader()(device)).toBe(first);
    record('backup', '2026-12-01T08:00:00.000Z', { backupId: 'bk-1' });
    const after = cache.reader()(device);
    expect(after).not.toBe(first);
    expect(after.lastBackup?.backupId).toBe('bk-1');
    record('deregister', '2026-12-02T08:00:00.000Z');
    expect(cache.reader()(device).fiscalState).toBe('deregistered');
  });

  it('forgets a backup the retention sweep deleted', () => {
    const { store, cache, record } = setUp();
    record('backup', '2001-01-01T08:00:00.000Z', { backupId: 'bk-old' });
    expect(cache.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-old');
    expect(store.sweep(defaultRetention).records).toBe(1);
    expect(cache.reader()(snapshot('D1')).lastBackup).toBeNull();
  });

  it('follows an update of a record (no store method does one; the trigger covers raw SQL too)', () => {
    const { store, cache, record } = setUp();
    const id = record('backup', '2026-12-01T08:00:00.000Z', { backupId: 'bk-1' });
    expect(cache.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-1');
    store.db.prepare('UPDATE service_records SET after_json = ? WHERE id = ?').run(JSON.stringify({ backupId: 'bk-2' }), id);
    expect(cache.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-2');
  });

  it('shows a diagnosis once its job ends succeeded, without any service record', () => {
    const { store, cache } = setUp();
    diagnosis(store, 'job-1');
    expect(cache.reader()(snapshot('D1')).lastDiagnosis).toBeNull();
    expect(store.jobs.finish('job-1', { state: 'succeeded', finishedAt: '2026-12-01T08:01:00.000Z', fraction: 1, result: report(true) })).toBe(true);
    const view = cache.reader()(snapshot('D1'));
    expect(view.lastDiagnosis?.id).toBe('job-1');
    expect(view.fiscalState).toBe('initialized');
  });

  it('follows a job whose result or creation time is rewritten, and one that is deleted', () => {
    const { store, cache } = setUp();
    diagnosis(store, 'job-1');
    store.jobs.finish('job-1', { state: 'succeeded', finishedAt: '2026-12-01T08:01:00.000Z', fraction: 1, result: report(true) });
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('initialized');
    store.db.prepare('UPDATE jobs SET result_json = ? WHERE id = ?').run(JSON.stringify(report(false)), 'job-1');
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('new');
    diagnosis(store, 'job-2', '2026-12-02T08:00:00.000Z');
    store.jobs.finish('job-2', { state: 'succeeded', finishedAt: '2026-12-02T08:01:00.000Z', fraction: 1, result: report(true) });
    expect(cache.reader()(snapshot('D1')).lastDiagnosis?.id).toBe('job-2');
    store.db.prepare('UPDATE jobs SET created_at = ? WHERE id = ?').run('2026-11-01T08:00:00.000Z', 'job-2');
    expect(cache.reader()(snapshot('D1')).lastDiagnosis?.id).toBe('job-1');
    store.db.prepare('DELETE FROM jobs WHERE id = ?').run('job-1');
    expect(cache.reader()(snapshot('D1')).lastDiagnosis?.id).toBe('job-2');
  });

  it('keeps the view through a running job\'s progress, checkpoint, waiting reason and record draft', () => {
    const { store, cache } = setUp();
    diagnosis(store, 'job-1');
    const first = cache.reader()(snapshot('D1'));
    store.jobs.setProgress('job-1', 'checks', 0.5);
    store.jobs.setCheckpoint('job-1', { at: 1 });
    store.jobs.setWaiting('job-1', { code: 'DEVICE_OFFLINE', since: '2026-12-01T08:00:30.000Z' } as never);
    store.jobs.setRecordDraft('job-1', { action: 'diagnostics' } as never);
    store.jobs.appendEvent({ jobId: 'job-1', seq: 1, type: 'progress', data: {}, at: '2026-12-01T08:00:31.000Z' });
    expect(cache.reader()(snapshot('D1'))).toBe(first);
  });

  it('sees a commit by another connection within FOREIGN_WRITE_CHECK_MS, and not before', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-viewcache-'));
    dirs.push(dir);
    const { cache, tick } = setUp(join(dir, 'fiscald.db'));
    expect(cache.reader()(snapshot('D1')).lastBackup).toBeNull();
    const other = openStore(join(dir, 'fiscald.db'));
    stores.push(other);
    other.records.insert({
      at: '2026-12-01T08:00:00.000Z', operator: 'li', deviceId: 'D1', machineNumber: 'D1', action: 'backup', params: {},
      before: null, after: { backupId: 'bk-x' }, result: 'succeeded', errorCode: null, jobId: null,
    });
    tick(FOREIGN_WRITE_CHECK_MS - 1);
    expect(cache.reader()(snapshot('D1')).lastBackup).toBeNull();
    tick(1);
    expect(cache.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-x');
  });

  it('two caches on one store both follow its writes', () => {
    const { store, cache, record } = setUp();
    const second = new FiscalViewCache(store);
    expect(cache.reader()(snapshot('D1')).lastBackup).toBeNull();
    expect(second.reader()(snapshot('D1')).lastBackup).toBeNull();
    record('backup', '2026-12-01T08:00:00.000Z', { backupId: 'bk-1' });
    expect(cache.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-1');
    expect(second.reader()(snapshot('D1')).lastBackup?.backupId).toBe('bk-1');
  });

  it('follows the device into its bootloader without a store change', () => {
    const { cache } = setUp();
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('unknown');
    expect(cache.reader()(snapshot('D1', 'bootloader')).fiscalState).toBe('bootloader');
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('unknown');
  });
});
