import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSysfsSerialPorts } from '../../../src/devices/discovery/sysfsSerialPorts.js';

describe('serial ports read from sysfs', () => {
  const roots: string[] = [];
  afterEach(() => {
    for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
  });

  it('finds ttys with a device link and the USB ids of the device above them; skips virtual ttys', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sys-'));
    roots.push(root);
    const fakeSys = join(root, 'sys');
    const usbDevice = join(fakeSys, 'devices/pci0000:00/usb1/1-2');
    const ttyDevice = join(usbDevice, '1-2:1.0/ttyUSB0');
    mkdirSync(ttyDevice, { recursive: true });
    writeFileSync(join(usbDevice, 'idVendor'), '1a86\n');
    writeFileSync(join(usbDevice, 'idProduct'), '7523\n');
    writeFileSync(join(usbDevice, 'serial'), 'R-0001\n');
    writeFileSync(join(usbDevice, 'product'), 'USB Serial\n');
    const platform = join(fakeSys, 'devices/platform/serial8250/tty/ttyS0');
    mkdirSync(platform, { recursive: true });
    const classTty = join(fakeSys, 'class/tty');
    for (const name of ['ttyUSB0', 'ttyS0', 'tty1']) mkdirSync(join(classTty, name), { recursive: true });
    symlinkSync(join(usbDevice, '1-2:1.0'), join(classTty, 'ttyUSB0/device'));
    symlinkSync(join(fakeSys, 'devices/platform/serial8250'), join(classTty, 'ttyS0/device'));

    const ports = await listSysfsSerialPorts(classTty);
    expect(ports).toEqual([
      { path: '/dev/ttyS0' },
      { path: '/dev/ttyUSB0', vendorId: 0x1a86, productId: 0x7523, serialNumber: 'R-0001', product: 'USB Serial' },
    ]);
  });

  it('answers an empty list where there is no sysfs', async () => {
    expect(await listSysfsSerialPorts('/nonexistent/class/tty')).toEqual([]);
  });
});
