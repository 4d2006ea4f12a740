import { afterEach, describe, expect, it } from 'vitest';
import { FiscalViewCache } from '../../../src/api/FiscalViewCache.js';
import { defaultRetention } from '../../../src/store/retention.js';
import { openStore, type Store } from '../../../src/store/Store.js';
import { snapshot } from './apiHarness.js';

const stores: Store[] = [];
afterEach(() => { for (const s of stores.splice(0)) s.close(); });

function setUp() {
  const store = openStore(':memory:');
  stores.push(store);
  const record = (action: string, at: string, after: unknown = null) => store.records.insert({
    at, operator: 'li', deviceId: 'D1', machineNumber: 'D1', action, params: {}, before: null, after, result: 'succeeded', errorCode: null, jobId: null,
  });
  return { store, cache: new FiscalViewCache(store), record };
}

describe('the device list keeps each fiscal view until the store says otherwise', () => {
  it('answers the same view while nothing changed, and reads again once a record is added', () => {
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

  it('follows the device into its bootloader without a store change', () => {
    const { cache } = setUp();
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('unknown');
    expect(cache.reader()(snapshot('D1', 'bootloader')).fiscalState).toBe('bootloader');
    expect(cache.reader()(snapshot('D1')).fiscalState).toBe('unknown');
  });
});
