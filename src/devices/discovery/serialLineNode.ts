import { access, realpath, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** Linux's encoding of a device number (glibc `major()`/`minor()`). */
function majorMinor(rdev: bigint): string {
  const major = ((rdev >> 8n) & 0xfffn) | ((rdev >> 32n) & ~0xfffn);
  const minor = (rdev & 0xffn) | ((rdev >> 12n) & ~0xffn);
  return `${major}:${minor}`;
}

/**
 * Whether a node that an allowed path leads to, and that no bus lists, may be opened as a serial line:
 * a character device that is either unknown to sysfs (a pseudo-terminal, such as one end of a socat
 * pair) or a tty with hardware behind it. Refused: folders (`/dev/fiscal/by-id` under `/dev/fiscal/*`),
 * plain and block files, other character devices (`/dev/null`, input devices) and the ttys with no
 * hardware (virtual consoles, `/dev/tty`, `/dev/console`, `/dev/ptmx`).
 */
export async function isSerialLineNode(node: string, sysDevChar = '/sys/dev/char'): Promise<boolean> {
  let info;
  try {
    info = await stat(node, { bigint: true });
  } catch {
    return false;
  }
  if (!info.isCharacterDevice()) return false;
  const entry = join(sysDevChar, majorMinor(info.rdev));
  const subsystem = await realpath(join(entry, 'subsystem')).catch(() => undefined);
  if (subsystem === undefined) return access(entry).then(() => false, () => true);
  if (basename(subsystem) !== 'tty') return false;
  return access(join(entry, 'device')).then(() => true, () => false);
}
