import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseProcMounts } from './procMounts.js';

/** Where the system tells about mounts and block devices; tests point these at a temporary tree. */
export interface StickRoots {
  readonly procMounts: string;
  readonly sysBlock: string;
  /** Where device paths such as `/dev/sdb1` live, to resolve `/dev/disk/by-*` links. */
  readonly dev: string;
}

export const systemStickRoots: StickRoots = { procMounts: '/proc/mounts', sysBlock: '/sys/block', dev: '/dev' };

export interface RemovableVolume {
  /** Kernel block device name of the partition (or whole disk) mounted, e.g. `sdb1`. */
  readonly blockDevice: string;
  /** The whole disk it belongs to, e.g. `sdb`. */
  readonly disk: string;
  readonly mountPoint: string;
  readonly fsType: string;
  readonly readOnly: boolean;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/** The kernel name behind a device path, following `/dev/disk/by-uuid/...` style links. */
async function blockName(device: string, roots: StickRoots): Promise<string | undefined> {
  if (!device.startsWith('/dev/')) return undefined;
  const inRoot = join(roots.dev, device.slice('/dev/'.length));
  const resolved = await realpath(inRoot).catch(() => inRoot);
  return basename(resolved);
}

/** The disk a block device belongs to: itself, or the `/sys/block/<disk>` that has it as a partition. */
async function diskOf(name: string, roots: StickRoots): Promise<string | undefined> {
  if (await exists(join(roots.sysBlock, name))) return name;
  let disks: string[];
  try {
    disks = await readdir(roots.sysBlock);
  } catch {
    return undefined;
  }
  for (const disk of disks) if (await exists(join(roots.sysBlock, disk, name))) return disk;
  return undefined;
}

/**
 * A disk counts as removable when the kernel says so (`removable` = 1) or when it hangs off a USB
 * bus (many USB sticks and card readers report removable = 0).
 */
async function isRemovable(disk: string, roots: StickRoots): Promise<boolean> {
  const flag = await readFile(join(roots.sysBlock, disk, 'removable'), 'utf8').catch(() => '0');
  if (flag.trim() === '1') return true;
  const target = await realpath(join(roots.sysBlock, disk)).catch(() => '');
  return /\/usb\d*\//.test(target);
}

/** Mounted volumes on removable disks, in mount-point order. */
export async function findRemovableVolumes(roots: StickRoots = systemStickRoots): Promise<RemovableVolume[]> {
  const mounts = parseProcMounts(await readFile(roots.procMounts, 'utf8').catch(() => ''));
  const volumes: RemovableVolume[] = [];
  for (const mount of mounts) {
    const name = await blockName(mount.device, roots);
    if (name === undefined) continue;
    const disk = await diskOf(name, roots);
    if (disk === undefined || !(await isRemovable(disk, roots))) continue;
    volumes.push({ blockDevice: name, disk, mountPoint: mount.mountPoint, fsType: mount.fsType, readOnly: mount.options.includes('ro') });
  }
  return volumes.sort((a, b) => (a.mountPoint < b.mountPoint ? -1 : a.mountPoint > b.mountPoint ? 1 : 0));
}
