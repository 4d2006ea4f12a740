import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StickRoots } from '../../../drivers/stick/RemovableVolumes.js';
import { temporaryDirectory } from '../../helpers/temporaryDirectories.js';

export interface FakeStickTree {
  readonly roots: StickRoots;
  /** Mount points: a removable stick, a read-only stick, a USB disk reporting removable = 0, a fixed disk. */
  readonly stick: string;
  readonly readOnlyStick: string;
  readonly usbDisk: string;
  readonly fixedDisk: string;
}

/** A /proc/mounts, /sys/block and /dev in a temporary folder, with mount points that are plain folders. */
export async function fakeStickTree(): Promise<FakeStickTree> {
  const base = temporaryDirectory('fg-stick-');
  const sysBlock = join(base, 'sys', 'block');
  const dev = join(base, 'dev');
  const mnt = (name: string) => join(base, 'media', name);
  const stick = mnt('STICK A');
  const readOnlyStick = mnt('ro');
  const usbDisk = mnt('usb');
  const fixedDisk = mnt('fixed');
  for (const dir of [stick, readOnlyStick, usbDisk, fixedDisk, join(dev, 'disk', 'by-uuid')]) await mkdir(dir, { recursive: true });
  const disk = async (name: string, removable: string, at = join(sysBlock, name)) => {
    await mkdir(join(at, `${name}1`), { recursive: true });
    await writeFile(join(at, 'removable'), `${removable}\n`);
    await writeFile(join(dev, `${name}1`), '');
  };
  await disk('sda', '0');
  await disk('sdb', '1');
  await disk('sdc', '1');
  const usbPath = join(base, 'sys', 'devices', 'pci0000:00', 'usb2', '2-1', 'block', 'sdd');
  await disk('sdd', '0', usbPath);
  await symlink(usbPath, join(sysBlock, 'sdd'));
  await symlink('../../sdd1', join(dev, 'disk', 'by-uuid', 'AB12-CD34'));
  const escaped = (path: string) => path.replace(/ /g, '\\040');
  await writeFile(join(base, 'mounts'), [
    `/dev/sda1 ${escaped(fixedDisk)} ext4 rw,relatime 0 0`,
    'proc /proc proc rw,nosuid 0 0',
    `/dev/sdb1 ${escaped(stick)} vfat rw,nosuid,nodev 0 0`,
    `/dev/sdc1 ${escaped(readOnlyStick)} vfat ro,nosuid 0 0`,
    `/dev/disk/by-uuid/AB12-CD34 ${escaped(usbDisk)} exfat rw 0 0`,
    '',
  ].join('\n'));
  return { roots: { procMounts: join(base, 'mounts'), sysBlock, dev }, stick, readOnlyStick, usbDisk, fixedDisk };
}
