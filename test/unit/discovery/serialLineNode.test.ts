import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isSerialLineNode } from '../../../src/devices/discovery/serialLineNode.js';

const folder = mkdtempSync(join(tmpdir(), 'fiscal-node-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** A /sys/dev/char that knows /dev/null as `kind`, with or without a `device` link. */
function fakeSysDevChar(name: string, kind: 'mem' | 'tty' | 'unknown', hardware = false): string {
  const root = join(folder, name);
  const rdev = statSync('/dev/null').rdev;
  const entry = join(root, `${Math.floor(rdev / 256) & 0xfff}:${rdev & 0xff}`);
  mkdirSync(join(root, 'class', kind), { recursive: true });
  if (kind !== 'unknown') {
    mkdirSync(entry, { recursive: true });
    symlinkSync(join(root, 'class', kind), join(entry, 'subsystem'));
    if (hardware) symlinkSync(root, join(entry, 'device'));
  }
  return root;
}

describe('isSerialLineNode', () => {
  it('refuses what is not a character device: a folder, a plain file, a missing path', async () => {
    writeFileSync(join(folder, 'plain'), '');
    mkdirSync(join(folder, 'by-id'));
    const sys = fakeSysDevChar('sys-none', 'unknown');
    expect(await isSerialLineNode(join(folder, 'plain'), sys)).toBe(false);
    expect(await isSerialLineNode(join(folder, 'by-id'), sys)).toBe(false);
    expect(await isSerialLineNode(join(folder, 'missing'), sys)).toBe(false);
  });

  it('takes a character device sysfs does not know (a pty), or a tty with hardware behind it; refuses other devices and ttys without hardware', async () => {
    expect(await isSerialLineNode('/dev/null', fakeSysDevChar('sys-unknown', 'unknown'))).toBe(true);
    expect(await isSerialLineNode('/dev/null', fakeSysDevChar('sys-uart', 'tty', true))).toBe(true);
    expect(await isSerialLineNode('/dev/null', fakeSysDevChar('sys-mem', 'mem'))).toBe(false);
    expect(await isSerialLineNode('/dev/null', fakeSysDevChar('sys-console', 'tty', false))).toBe(false);
  });

  it('reads this machine as it is: where sysfs knows /dev/null, it is not a serial line', async () => {
    expect(await isSerialLineNode('/dev/null')).toBe(!existsSync('/sys/dev/char'));
  });
});
