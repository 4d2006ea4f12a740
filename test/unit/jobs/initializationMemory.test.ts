import { describe, expect, it } from 'vitest';
import { initializationMemory } from '../../../src/jobs/initializationMemory.js';
import { openStore } from '../../../src/store/Store.js';

const entry = (stage: string, pin: string | null, fiscalCardNumber = '4403100000000001') => ({
  deviceId: 'D1', machineNumber: '4403000000000001', fiscalCardNumber, userCardNumber: '4403200000000001', pin, stage, at: '2026-01-01T00:00:00.000Z',
});

describe('initializationMemory', () => {
  it('is the newest initialization job\'s checkpoint for the card, none once closed, ignoring other kinds and cards', async () => {
    const store = openStore(':memory:');
    const create = (id: string, kind: string, at: string) => store.jobs.create({ id, kind, deviceId: 'D1', operator: 'o', params: {}, stages: [{ id: 's', weight: 1 }], createdAt: at });
    const memory = initializationMemory(store.jobs);
    expect(await memory.get('4403100000000001')).toBeUndefined();
    create('a', 'initialize', '2026-01-01T00:00:00.000Z');
    store.jobs.setCheckpoint('a', entry('registered', '0011223344556677'));
    create('x', 'backup', '2026-01-01T00:00:01.000Z');
    store.jobs.setCheckpoint('x', { backupId: 'b' });
    create('other', 'initialize', '2026-01-01T00:00:02.000Z');
    store.jobs.setCheckpoint('other', entry('registered', '8899aabbccddeeff', '4403100000000009'));
    expect(await memory.get('4403100000000001')).toMatchObject({ stage: 'registered', pin: '0011223344556677' });
    create('b', 'initialize', '2026-01-01T00:00:03.000Z');
    store.jobs.setCheckpoint('b', entry('pin-sent', '0011223344556677'));
    expect(await memory.get('4403100000000001')).toMatchObject({ stage: 'pin-sent' });
    store.jobs.setCheckpoint('b', entry('closed', null));
    expect(await memory.get('4403100000000001')).toBeUndefined();
    expect(await memory.get('4403100000000009')).toMatchObject({ stage: 'registered' });
    store.close();
  });
});
