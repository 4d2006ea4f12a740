import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { verifyBackupFolder } from '../../../src/services/backup/verifyBackupFolder.js';
import { sampleDevice, tempStore, writeSampleBackup } from './sampleBackup.js';

async function allFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await allFiles(dir, path)));
    else out.push(path);
  }
  return out.sort();
}

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at % bytes.length] ^= 0x01;
  await writeFile(path, bytes);
}

describe('backup storage', () => {
  it('commits a backup folder named <UTC time>-<id> under the machine number, with manifest, hashes and records', async () => {
    const store = await tempStore();
    const { dir, manifest } = await writeSampleBackup(store);
    expect(dir).toBe(join(store.root, sampleDevice.machineNumber, `20261122T080000Z-${manifest.id}`));
    expect(await allFiles(dir)).toEqual([
      'SHA256SUMS', 'cards/fiscal-EF02.jsonl', 'factory.jsonl', 'factory.raw', 'invoices.jsonl', 'invoices.raw', 'manifest.json', 'manifest.sha256',
    ]);
    expect(manifest.kinds.invoices).toMatchObject({ records: 5, rawChunks: 5, rawBytes: 15, expected: 5, firstNumber: 1, lastNumber: 5, firstDate: '2026-11-01', lastDate: '2026-11-05' });
    const lines = (await readFile(join(dir, 'invoices.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines[2]).toEqual({ seq: 2, raw: 2, record: { number: 3, amount: 300, bytes: '03' } });
    expect(manifest.gateway.name).toBe('fiscal-gateway');
    expect((await verifyBackupFolder(dir)).ok).toBe(true);
  });

  it('lists complete backups per device, newest first, and finds one by id', async () => {
    const store = await tempStore();
    const older = await writeSampleBackup(store, new Date('2026-11-01T00:00:00Z'));
    const newer = await writeSampleBackup(store, new Date('2026-11-02T00:00:00Z'));
    const listed = await store.list({ device: sampleDevice.id });
    expect(listed.map((b) => b.id)).toEqual([newer.manifest.id, older.manifest.id]);
    expect(listed[0].counts).toEqual({ 'cards/fiscal-EF02': 1, factory: 1, invoices: 5 });
    expect(await store.list({ device: 'another' })).toEqual([]);
    expect((await store.get(older.manifest.id)).dir).toBe(older.dir);
    await expect(store.get('zzzzzzzzzzzz')).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_NOT_FOUND'));
    await expect(store.get('../../etc')).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_NOT_FOUND'));
  });

  it('never lists an unfinished backup, and cleans it at start-up', async () => {
    const store = await tempStore();
    const writer = await store.begin({ device: sampleDevice });
    await writer.appendRecord('daily', { date: '2026-01-01' });
    expect(await store.list()).toEqual([]);
    const removed = await store.cleanTemporary();
    expect(removed).toEqual([writer.tempDir]);
    expect(await readdir(join(store.root, sampleDevice.machineNumber))).toEqual([]);
    await writer.abort();
  });

  it('leaves nothing behind when a backup is aborted', async () => {
    const store = await tempStore();
    const writer = await store.begin({ device: sampleDevice });
    await writer.appendRaw('status', Uint8Array.of(1));
    await writer.abort();
    expect(await readdir(join(store.root, sampleDevice.machineNumber))).toEqual([]);
    await expect(writer.commit()).rejects.toSatisfy((e) => isGatewayError(e, 'INTERNAL'));
  });

  it('refuses a kind that is not a safe file stem', async () => {
    const store = await tempStore();
    const writer = await store.begin({ device: sampleDevice });
    await expect(writer.appendRecord('../escape', {})).rejects.toSatisfy((e) => isGatewayError(e, 'INTERNAL'));
    await expect(writer.appendRecord('cards/../x', {})).rejects.toSatisfy((e) => isGatewayError(e, 'INTERNAL'));
    await writer.abort();
  });

  it('fails verification naming the file when any byte of any file is flipped', async () => {
    const store = await tempStore();
    const { dir, manifest } = await writeSampleBackup(store);
    const files = await allFiles(dir);
    for (const file of files) {
      for (const at of [0, 7, 1000]) {
        const original = await readFile(join(dir, file));
        await flipByte(join(dir, file), at);
        const report = await store.verify(manifest.id);
        expect(report.ok, `${file}@${at}`).toBe(false);
        expect(report.failures.map((f) => f.file), `${file}@${at}`).toEqual([file]);
        await writeFile(join(dir, file), original);
      }
    }
    expect((await store.verify(manifest.id)).ok).toBe(true);
  });

  it('names a missing file, an extra file, and refuses through assertVerified', async () => {
    const store = await tempStore();
    const { dir, manifest } = await writeSampleBackup(store);
    await writeFile(join(dir, 'cards', 'intruder.jsonl'), '{}\n');
    await mkdir(join(dir, 'sub'));
    const report = await store.verify(manifest.id);
    expect(report.failures).toEqual([
      expect.objectContaining({ file: 'cards/intruder.jsonl', reason: 'unlisted' }),
      expect.objectContaining({ file: 'sub', reason: 'unlisted' }),
    ]);
    await expect(store.assertVerified(manifest.id)).rejects.toSatisfy(
      (e) => isGatewayError(e, 'BACKUP_VERIFY_FAILED') && e.params.file === 'cards/intruder.jsonl',
    );
  });
});
