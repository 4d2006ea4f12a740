import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FilePendingInitializations, type PendingInitialization } from '../../../src/services/initialize/PendingInitializations.js';

const CARD = '4403100000000001';
const entry: PendingInitialization = {
  deviceId: 'reg-1', machineNumber: '4403000012345678', fiscalCardNumber: CARD, userCardNumber: '4403200000000001',
  pin: '1122334455667788', stage: 'registered', initializationDate: '2026-05-01', at: '2026-05-01T08:00:00.000Z',
};

let root: string | undefined;
afterEach(() => {
  if (root !== undefined) rmSync(root, { recursive: true, force: true });
  root = undefined;
});

describe('the kept PIN on disk (FilePendingInitializations)', () => {
  it('is 0600 in a 0700 folder even under a permissive umask, and a leftover temp file does not widen it', async () => {
    root = mkdtempSync(join(tmpdir(), 'pending-'));
    const folder = join(root, 'initialize');
    const store = new FilePendingInitializations(folder);
    const previous = process.umask(0);
    try {
      await store.put({ ...entry, stage: 'registering', pin: null });
      writeFileSync(join(folder, `${CARD}.json.tmp`), 'left by a crash', { mode: 0o666 });
      await store.put(entry);
    } finally {
      process.umask(previous);
    }
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(join(folder, `${CARD}.json`)).mode & 0o777).toBe(0o600);
    expect(await store.get(CARD)).toEqual(entry);
  });

  it('reads an unreadable or foreign file as no entry, and delete leaves nothing behind', async () => {
    root = mkdtempSync(join(tmpdir(), 'pending-'));
    const folder = join(root, 'initialize');
    const store = new FilePendingInitializations(folder);
    await store.put(entry);
    writeFileSync(join(folder, `${CARD}.json`), '{ torn');
    expect(await store.get(CARD)).toBeUndefined();
    await store.put(entry);
    await store.delete(CARD);
    expect(await store.get(CARD)).toBeUndefined();
    expect(() => readFileSync(join(folder, `${CARD}.json`))).toThrow();
  });
});
