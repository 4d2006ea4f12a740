import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { copyToStick } from '../../../drivers/stick/copyToStick.js';
import { parseProcMounts } from '../../../drivers/stick/procMounts.js';
import { findRemovableVolumes } from '../../../drivers/stick/RemovableVolumes.js';
import { fakeStickTree } from './fakeStickTree.js';
import { temporaryDirectory } from '../../helpers/temporaryDirectories.js';

async function sourceFile(bytes = 200_000): Promise<{ path: string; sha256: string }> {
  const content = Buffer.alloc(bytes, 0);
  for (let i = 0; i < bytes; i++) content[i] = (i * 31) & 0xff;
  const path = join(temporaryDirectory('fg-src-'), 'backup.tar');
  await writeFile(path, content);
  return { path, sha256: createHash('sha256').update(content).digest('hex') };
}

describe('removable volumes', () => {
  it('parses /proc/mounts, unescaping octal escapes', () => {
    expect(parseProcMounts('/dev/sdb1 /media/My\\040Stick vfat rw,ro 0 0\n\n')).toEqual([
      { device: '/dev/sdb1', mountPoint: '/media/My Stick', fsType: 'vfat', options: ['rw', 'ro'] },
    ]);
  });

  it('finds mounted removable and USB volumes, not fixed disks or pseudo file systems', async () => {
    const tree = await fakeStickTree();
    const volumes = await findRemovableVolumes(tree.roots);
    expect(volumes.map((v) => [v.mountPoint, v.disk, v.blockDevice, v.readOnly])).toEqual([
      [tree.stick, 'sdb', 'sdb1', false],
      [tree.readOnlyStick, 'sdc', 'sdc1', true],
      [tree.usbDisk, 'sdd', 'sdd1', false],
    ]);
  });

  it('finds nothing when the system files are absent', async () => {
    const empty = temporaryDirectory('fg-nosys-');
    expect(await findRemovableVolumes({ procMounts: join(empty, 'mounts'), sysBlock: join(empty, 'block'), dev: join(empty, 'dev') })).toEqual([]);
  });
});

describe('copy to stick', () => {
  it('copies, writes a sha256sum sidecar, reads back and verifies', async () => {
    const tree = await fakeStickTree();
    const source = await sourceFile();
    const copy = await copyToStick(source.path, 'FISCAL/BACKUP/1234/backup.tar', { roots: tree.roots });
    expect(copy.path).toBe(join(tree.stick, 'FISCAL/BACKUP/1234/backup.tar'));
    expect(copy.sha256).toBe(source.sha256);
    expect(createHash('sha256').update(await readFile(copy.path)).digest('hex')).toBe(source.sha256);
    expect(await readFile(copy.checksumPath, 'utf8')).toBe(`${source.sha256}  backup.tar\n`);
    expect((await readdir(join(tree.stick, 'FISCAL/BACKUP/1234'))).sort()).toEqual(['backup.tar', 'backup.tar.sha256']);
  });

  it('uses the stick named by mount point', async () => {
    const tree = await fakeStickTree();
    const copy = await copyToStick((await sourceFile(10)).path, 'x.tar', { roots: tree.roots, mountPoint: tree.usbDisk });
    expect(copy.volume.disk).toBe('sdd');
  });

  it('refuses with STICK_NOT_FOUND, STICK_READ_ONLY and STICK_FULL', async () => {
    const tree = await fakeStickTree();
    const source = await sourceFile(1000);
    await expect(copyToStick(source.path, 'x.tar', { roots: tree.roots, mountPoint: tree.fixedDisk })).rejects.toSatisfy((e) => isGatewayError(e, 'STICK_NOT_FOUND'));
    const empty = temporaryDirectory('fg-nosys-');
    await expect(copyToStick(source.path, 'x.tar', { roots: { procMounts: join(empty, 'm'), sysBlock: empty, dev: empty } })).rejects.toSatisfy((e) => isGatewayError(e, 'STICK_NOT_FOUND'));
    await expect(copyToStick(source.path, 'x.tar', { roots: tree.roots, mountPoint: tree.readOnlyStick })).rejects.toSatisfy((e) => isGatewayError(e, 'STICK_READ_ONLY'));
    await expect(copyToStick(source.path, 'x.tar', { roots: tree.roots, freeSpace: async () => 1500 })).rejects.toSatisfy(
      (e) => isGatewayError(e, 'STICK_FULL') && e.params.free === 1500,
    );
    expect(await readdir(tree.stick)).toEqual([]);
  });

  it('refuses a target outside the stick', async () => {
    const tree = await fakeStickTree();
    await expect(copyToStick((await sourceFile(10)).path, '../escape.tar', { roots: tree.roots })).rejects.toSatisfy((e) => isGatewayError(e, 'BAD_REQUEST'));
  });

  it('fails with STICK_VERIFY_FAILED and removes the copy when the read-back differs', async () => {
    const tree = await fakeStickTree();
    const source = await sourceFile(5000);
    await expect(copyToStick(source.path, 'B/backup.tar', {
      roots: tree.roots,
      onWritten: async (path) => {
        const bytes = await readFile(path);
        bytes[4321] ^= 0x08;
        await writeFile(path, bytes);
      },
    })).rejects.toSatisfy((e) => isGatewayError(e, 'STICK_VERIFY_FAILED') && e.params.file === 'B/backup.tar');
    expect(await readdir(join(tree.stick, 'B'))).toEqual([]);
  });

  it('picks a writable stick by default when a read-only one comes first', async () => {
    const tree = await fakeStickTree();
    const mounts = await readFile(tree.roots.procMounts, 'utf8');
    // Mounted under a name that sorts first: /media/0-ro.
    const first = tree.readOnlyStick.replace(/\/ro$/, '/0-ro');
    await mkdir(first, { recursive: true });
    await writeFile(tree.roots.procMounts, mounts.replace(/ \S+\/ro vfat/, ` ${first} vfat`));
    const copy = await copyToStick((await sourceFile(10)).path, 'x.tar', { roots: tree.roots });
    expect(copy.volume.mountPoint).toBe(tree.stick);
  });

  it('never follows a link on the stick out of it, for a folder or for the temporary file', async () => {
    const tree = await fakeStickTree();
    const outside = temporaryDirectory('fg-outside-');
    await symlink(outside, join(tree.stick, 'FISCAL'));
    await expect(copyToStick((await sourceFile(10)).path, 'FISCAL/BACKUP/x.tar', { roots: tree.roots })).rejects.toSatisfy((e) => isGatewayError(e, 'BAD_REQUEST'));
    await mkdir(join(tree.stick, 'B'));
    await symlink(join(outside, 'planted'), join(tree.stick, 'B', '.y.tar.partial'));
    await copyToStick((await sourceFile(10)).path, 'B/y.tar', { roots: tree.roots });
    expect(await readdir(outside)).toEqual([]);
  });
});
