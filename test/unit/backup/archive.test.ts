import { execFileSync, spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { verifyBackupArchive, writeBackupArchive } from '../../../src/services/backup/BackupArchive.js';
import { readTar } from '../../../protocols/codec/tar/readTar.js';
import { tarStream } from '../../../protocols/codec/tar/tarStream.js';
import { BLOCK } from '../../../protocols/codec/tar/TarHeader.js';
import { tempStore, writeSampleBackup } from './sampleBackup.js';
import { temporaryDirectory } from '../../helpers/temporaryDirectories.js';

function hasTool(name: string): boolean {
  const found = spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
  if (!found && process.env.CI) throw new Error(`${name} is required in CI`);
  return found;
}
const haveTar = hasTool('tar') && hasTool('sha256sum');

async function* chunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of stream) parts.push(part);
  return Buffer.concat(parts);
}

async function sampleArchive() {
  const store = await tempStore();
  const backup = await writeSampleBackup(store);
  const out = join(dirname(store.root), 'backup.tar');
  const written = await writeBackupArchive(backup.dir, out);
  return { store, backup, out, written };
}

/** Offsets of each entry's content in a tar file, by entry name. */
async function contentOffsets(bytes: Uint8Array): Promise<Map<string, { at: number; size: number }>> {
  const offsets = new Map<string, { at: number; size: number }>();
  let at = 0;
  while (at + BLOCK <= bytes.length && bytes.subarray(at, at + BLOCK).some((b) => b !== 0)) {
    const name = Buffer.from(bytes.subarray(at, at + 100)).toString().replace(/\0.*$/s, '');
    const prefix = Buffer.from(bytes.subarray(at + 345, at + 500)).toString().replace(/\0.*$/s, '');
    const size = parseInt(Buffer.from(bytes.subarray(at + 124, at + 136)).toString().replace(/\0.*$/s, ''), 8);
    offsets.set(prefix === '' ? name : `${prefix}/${name}`, { at: at + BLOCK, size });
    at += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
  }
  return offsets;
}

describe('backup archive', () => {
  it('writes a deterministic archive that its verifier accepts', async () => {
    const { backup, out, written } = await sampleArchive();
    const report = await verifyBackupArchive(out);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.folder).toBe(basename(backup.dir));
    expect(report.manifest?.id).toBe(backup.manifest.id);
    const again = await writeBackupArchive(backup.dir, `${out}.2`);
    expect(again.sha256).toBe(written.sha256);
    expect((await readFile(out)).length).toBe(written.bytes);
  });

  it.skipIf(!haveTar)('extracts with plain tar and checks with sha256sum -c SHA256SUMS (and manifest.sha256)', async () => {
    const { backup, out } = await sampleArchive();
    const into = temporaryDirectory('fg-untar-');
    execFileSync('tar', ['-xf', out, '-C', into]);
    const folder = join(into, basename(backup.dir));
    const checked = execFileSync('sha256sum', ['-c', 'SHA256SUMS'], { cwd: folder, encoding: 'utf8' });
    expect(checked).toContain('manifest.json: OK');
    expect(checked).toContain('cards/fiscal-EF02.jsonl: OK');
    expect(execFileSync('sha256sum', ['-c', 'manifest.sha256'], { cwd: folder, encoding: 'utf8' })).toContain('manifest.json: OK');
    await writeFile(join(folder, 'invoices.raw'), 'tampered');
    expect(spawnSync('sha256sum', ['-c', '--quiet', 'SHA256SUMS'], { cwd: folder }).status).not.toBe(0);
  });

  it.skipIf(!haveTar)('verifies an archive made from a backup folder by system tar', async () => {
    const { backup } = await sampleArchive();
    const out = join(temporaryDirectory('fg-systar-'), 'b.tar');
    execFileSync('tar', ['--format=ustar', '-cf', out, '-C', dirname(backup.dir), basename(backup.dir)]);
    expect((await verifyBackupArchive(out)).ok).toBe(true);
  });

  it.skipIf(!haveTar)('verifies archives made by plain GNU tar -cf (gnu format) and by tar --format=pax', async () => {
    const { backup } = await sampleArchive();
    const dir = temporaryDirectory('fg-gnutar-');
    for (const format of [[], ['--format=gnu'], ['--format=pax'], ['--format=oldgnu']]) {
      const out = join(dir, `b${format.join('')}.tar`);
      execFileSync('tar', [...format, '-cf', out, '-C', dirname(backup.dir), basename(backup.dir)]);
      const report = await verifyBackupArchive(out);
      expect(report.failures, format.join(' ') || 'default').toEqual([]);
      expect(report.ok).toBe(true);
    }
  });

  it.skipIf(!haveTar)('reads the long names GNU tar and pax write (././@LongLink, pax path)', async () => {
    const dir = temporaryDirectory('fg-longname-');
    const long = `${'d'.repeat(90)}/${'f'.repeat(120)}.jsonl`;
    execFileSync('mkdir', ['-p', join(dir, 'src', dirname(long))]);
    await writeFile(join(dir, 'src', long), 'long name body');
    for (const format of ['gnu', 'pax']) {
      const out = join(dir, `${format}.tar`);
      execFileSync('tar', [`--format=${format}`, '-cf', out, '-C', join(dir, 'src'), long]);
      const names: string[] = [];
      const bodies: string[] = [];
      await readTar(chunks(await readFile(out), 300), (header) => {
        names.push(header.name);
        if (header.type !== 'file') return undefined;
        bodies.push('');
        return (chunk) => { bodies[bodies.length - 1] += Buffer.from(chunk).toString(); };
      });
      expect(names, format).toEqual([long]);
      expect(bodies).toEqual(['long name body']);
    }
  });

  it.skipIf(!haveTar)('is byte-for-byte the same whatever the files\' own mtime, mode and owner (fixed mtime, 0:0, modes, order)', async () => {
    const { backup, out, written } = await sampleArchive();
    execFileSync('touch', ['-d', '2001-02-03 04:05:06', join(backup.dir, 'manifest.json'), join(backup.dir, 'SHA256SUMS')]);
    execFileSync('chmod', ['0600', join(backup.dir, 'manifest.json')]);
    const again = await writeBackupArchive(backup.dir, `${out}.again`);
    expect(again.sha256).toBe(written.sha256);
    expect(Buffer.compare(await readFile(out), await readFile(`${out}.again`))).toBe(0);
    const listing = execFileSync('tar', ['--numeric-owner', '--full-time', '-tvf', out], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } }).trim().split('\n');
    const completedAt = backup.manifest.completedAt.replace('T', ' ').slice(0, 19);
    for (const line of listing) {
      expect(line).toMatch(/^(-rw-r--r--|drwxr-xr-x) 0\/0 /);
      expect(line).toContain(completedAt);
    }
    const names = listing.map((line) => line.split(' ').at(-1));
    expect(names.slice(0, 4)).toEqual([`${basename(backup.dir)}/`, ...['manifest.json', 'manifest.sha256', 'SHA256SUMS'].map((f) => `${basename(backup.dir)}/${f}`)]);
  });

  it('names the file whose content was changed inside the archive', async () => {
    const { out } = await sampleArchive();
    const original = await readFile(out);
    const offsets = await contentOffsets(original);
    expect(offsets.size).toBeGreaterThan(6);
    for (const [name, { at, size }] of offsets) {
      if (size === 0) continue;
      const bytes = Buffer.from(original);
      bytes[at + (size >> 1)] ^= 0x20;
      const report = await verifyBackupArchive(chunks(bytes, 777));
      expect(report.ok, name).toBe(false);
      expect(report.failures.map((f) => f.file), name).toEqual([name.split('/').slice(1).join('/')]);
    }
  });

  it('refuses a damaged header, a truncated archive and a stranger folder with BACKUP_ARCHIVE_INVALID', async () => {
    const { out } = await sampleArchive();
    const original = await readFile(out);
    const damaged = Buffer.from(original);
    damaged[BLOCK + 10] ^= 0x01;
    await expect(verifyBackupArchive(chunks(damaged, 4096))).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_ARCHIVE_INVALID'));
    await expect(verifyBackupArchive(chunks(original.subarray(0, original.length - 3 * BLOCK), 4096))).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_ARCHIVE_INVALID'));
    const stranger = await collect(tarStream([{ header: { name: 'etc/passwd', type: 'file', size: 1, mode: 0o644, mtime: 0 }, content: () => chunks(Uint8Array.of(1), 1) }]));
    await expect(verifyBackupArchive(chunks(stranger, 512))).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_ARCHIVE_INVALID'));
    const escape = await collect(tarStream([{ header: { name: '20261122T080000Z-aaaaaaaaaaaa/../x', type: 'file', size: 0, mode: 0o644, mtime: 0 } }]));
    await expect(verifyBackupArchive(chunks(escape, 512))).rejects.toSatisfy((e) => isGatewayError(e, 'BACKUP_ARCHIVE_INVALID'));
  });

  it('round-trips any set of files through tarStream and readTar, whatever the chunking', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z]{1,8}(\/[a-z0-9.]{1,40}){0,4}$/), body: fc.uint8Array({ maxLength: 1500 }) }), { selector: (f) => f.name, maxLength: 6 }),
      fc.integer({ min: 1, max: 2000 }),
      async (files, chunkSize) => {
        const tar = await collect(tarStream(files.map((f) => ({ header: { name: f.name, type: 'file' as const, size: f.body.length, mode: 0o644, mtime: 1 }, content: () => chunks(f.body, 100) }))));
        expect(tar.length % BLOCK).toBe(0);
        const seen: { name: string; body: Uint8Array }[] = [];
        await readTar(chunks(tar, chunkSize), (header) => {
          const parts: Uint8Array[] = [];
          seen.push({ name: header.name, body: new Uint8Array(0) });
          const entry = seen.at(-1)!;
          return (chunk) => {
            parts.push(Uint8Array.from(chunk));
            entry.body = Buffer.concat(parts);
          };
        });
        expect(seen.map((s) => s.name)).toEqual(files.map((f) => f.name));
        seen.forEach((s, i) => expect(Buffer.from(s.body).equals(Buffer.from(files[i].body))).toBe(true));
      },
    ), { numRuns: 60 });
  });

  it('never throws anything but GatewayError on random or truncated archive bytes', async () => {
    const { out } = await sampleArchive();
    const good = await readFile(out);
    await fc.assert(fc.asyncProperty(fc.oneof(
      fc.uint8Array({ maxLength: 3000 }),
      fc.integer({ min: 0, max: good.length }).map((n) => good.subarray(0, n)),
      fc.tuple(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([at, x]) => {
        const copy = Buffer.from(good);
        copy[at] ^= x;
        return copy;
      }),
    ), async (bytes) => {
      // A flip in tar padding changes no file, so an ok report is fine; what must never happen is a foreign exception.
      const outcome = await verifyBackupArchive(chunks(bytes, 1024)).then(() => 'report', (error: unknown) => error);
      if (outcome !== 'report') expect(isGatewayError(outcome), String(outcome)).toBe(true);
    }), { numRuns: 150 });
  });
});
