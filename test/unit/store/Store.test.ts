import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from '../../../src/store/migrations.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { MINIMUM_RECORD_YEARS, recordCutoff } from '../../../src/store/retention.js';
import type { NewServiceRecord } from '../../../src/store/types.js';

const stores: Store[] = [];
const dirs: string[] = [];
function fresh(): Store {
  const store = openStore(':memory:');
  stores.push(store);
  return store;
}
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function record(at: string, device = 'D1'): NewServiceRecord {
  return {
    at, operator: 'li', deviceId: device, machineNumber: device, action: 'diagnostics', params: {},
    before: null, after: { ok: true }, result: 'succeeded', errorCode: null, jobId: null,
  };
}

describe('Store', () => {
  it('creates a WAL database file with mode 0600, migrated, passing integrity_check', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-store-'));
    dirs.push(dir);
    const path = join(dir, 'fiscald.sqlite');
    const store = openStore(path);
    stores.push(store);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
    const again = openStore(path);
    stores.push(again);
    expect(again.db.pragma('user_version', { simple: true })).toBe(migrations.length);
  });

  it('keeps jobs with their events in order and ends a job only once', () => {
    const store = fresh();
    store.jobs.create({ id: 'j1', kind: 'diagnostics', deviceId: 'D1', operator: 'li', params: { a: 1 }, stages: [{ id: 's', weight: 1 }], createdAt: '2026-01-01T00:00:00.000Z' });
    for (let seq = 1; seq <= 3; seq += 1) store.jobs.appendEvent({ jobId: 'j1', seq, type: 'progress', data: { seq }, at: '2026-01-01T00:00:00.000Z' });
    expect(store.jobs.eventsAfter('j1', 1).map((e) => e.seq)).toEqual([2, 3]);
    expect(store.jobs.lastEventSeq('j1')).toBe(3);
    expect(store.jobs.running().map((j) => j.id)).toEqual(['j1']);
    expect(store.jobs.finish('j1', { state: 'succeeded', finishedAt: '2026-01-01T00:01:00.000Z', fraction: 1, result: { fine: true } })).toBe(true);
    expect(store.jobs.finish('j1', { state: 'failed', finishedAt: '2026-01-01T00:02:00.000Z', fraction: 1 })).toBe(false);
    const job = store.jobs.get('j1')!;
    expect(job.state).toBe('succeeded');
    expect(job.result).toEqual({ fine: true });
    expect(job.params).toEqual({ a: 1 });
    expect(store.jobs.list({ deviceId: 'D1' })).toHaveLength(1);
    expect(store.jobs.list({ deviceId: 'D2' })).toHaveLength(0);
  });

  it('filters records by device (id or machine number) and by a half-open time range', () => {
    const store = fresh();
    store.records.insert(record('2026-01-01T00:00:00.000Z'));
    store.records.insert(record('2026-02-01T00:00:00.000Z'));
    store.records.insert(record('2026-03-01T00:00:00.000Z', 'D2'));
    expect(store.records.list({ device: 'D1' })).toHaveLength(2);
    expect(store.records.list({ since: '2026-02-01T00:00:00.000Z' })).toHaveLength(2);
    expect(store.records.list({ until: '2026-02-01T00:00:00.000Z' })).toHaveLength(1);
    expect(store.records.list({ device: 'D2', since: '2026-01-15T00:00:00.000Z', until: '2026-04-01T00:00:00.000Z' })[0]!.deviceId).toBe('D2');
  });

  it('never sweeps a record younger than five years, whatever the policy says', () => {
    const store = fresh();
    const now = new Date('2031-06-01T00:00:00.000Z');
    store.records.insert(record('2026-06-02T00:00:00.000Z')); // 4 years 364 days old
    store.records.insert(record('2026-05-31T00:00:00.000Z')); // just over five years old
    const swept = store.sweep({ recordYears: 1, jobEventDays: 0, idempotencyHours: 0 }, now);
    expect(swept.records).toBe(1);
    expect(store.records.list().map((r) => r.at)).toEqual(['2026-06-02T00:00:00.000Z']);
    expect(recordCutoff(now, 2).getUTCFullYear()).toBe(2031 - MINIMUM_RECORD_YEARS);
  });

  it('sweeps the events of old finished jobs but keeps running ones', () => {
    const store = fresh();
    for (const [id, state] of [['old', 'succeeded'], ['live', 'running']] as const) {
      store.jobs.create({ id, kind: 'k', deviceId: 'D', operator: 'o', params: {}, stages: [], createdAt: '2020-01-01T00:00:00.000Z' });
      store.jobs.appendEvent({ jobId: id, seq: 1, type: 'started', data: {}, at: '2020-01-01T00:00:00.000Z' });
      if (state === 'succeeded') store.jobs.finish(id, { state, finishedAt: '2020-01-01T00:00:01.000Z', fraction: 1 });
    }
    const swept = store.sweep({ recordYears: 5, jobEventDays: 90, idempotencyHours: 24 }, new Date('2021-01-01T00:00:00.000Z'));
    expect(swept.jobEvents).toBe(1);
    expect(store.jobs.eventsAfter('live', 0)).toHaveLength(1);
    expect(store.jobs.get('old')!.state).toBe('succeeded');
  });

  it('keeps a job\'s checkpoint and waiting reason in its row, lists waiting jobs apart, clears the reason when the job ends and keeps the checkpoint', () => {
    const store = fresh();
    store.jobs.create({ id: 'w1', kind: 'initialize', deviceId: 'D1', operator: 'li', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: '2026-01-01T00:00:00.000Z' });
    store.jobs.create({ id: 'r1', kind: 'backup', deviceId: 'D2', operator: 'li', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: '2026-01-01T00:00:01.000Z' });
    store.jobs.setCheckpoint('w1', { phase: 'pin-sent', pin: '0011223344556677' });
    const reason = { for: 'device' as const, code: 'DEVICE_OFFLINE', message: { 'zh-CN': '等待设备', en: 'waiting for the device' }, since: '2026-01-01T00:00:02.000Z' };
    store.jobs.setWaiting('w1', reason);
    expect(store.jobs.get('w1')).toMatchObject({ state: 'waiting', waiting: reason, checkpoint: { phase: 'pin-sent' } });
    expect(store.jobs.list({ state: 'waiting' }).map((j) => j.id)).toEqual(['w1']);
    expect(store.jobs.list({ state: 'running' }).map((j) => j.id)).toEqual(['r1']);
    expect(store.jobs.running().map((j) => j.id)).toEqual(['w1', 'r1']);
    store.jobs.setWaiting('w1', null);
    expect(store.jobs.get('w1')?.state).toBe('running');
    store.jobs.setWaiting('w1', reason);
    expect(store.jobs.finish('w1', { state: 'succeeded', finishedAt: '2026-01-01T00:00:03.000Z', fraction: 1 })).toBe(true);
    expect(store.jobs.get('w1')).toMatchObject({ state: 'succeeded', waiting: null, checkpoint: { phase: 'pin-sent' } });
    expect(store.jobs.checkpointed('initialize').map((j) => j.id)).toEqual(['w1']);
    expect(store.jobs.checkpointed('backup')).toEqual([]);
  });

  it('migrates a database of the first schema: its jobs gain an empty checkpoint and no waiting reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fg-store-'));
    dirs.push(dir);
    const path = join(dir, 'fiscald.sqlite');
    const first = openStore(path);
    first.jobs.create({ id: 'old', kind: 'backup', deviceId: 'D1', operator: 'li', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: '2026-01-01T00:00:00.000Z' });
    first.db.exec('ALTER TABLE jobs DROP COLUMN checkpoint_json; ALTER TABLE jobs DROP COLUMN waiting_json');
    first.db.pragma('user_version = 1');
    first.close();
    const store = openStore(path);
    stores.push(store);
    expect(store.db.pragma('user_version', { simple: true })).toBe(migrations.length);
    expect(store.jobs.get('old')).toMatchObject({ state: 'running', checkpoint: null, waiting: null });
  });
});
