import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceDiscovery, type DiscoveryEvent } from '../../../src/devices/discovery/DeviceDiscovery.js';
import { parseDiscoveryConfig } from '../../../src/devices/discovery/discoveryConfig.js';
import type { PortCandidate, PortEnumerator } from '../../../src/devices/discovery/PortCandidate.js';
import type { TransportDescription } from '../../../contracts/ByteTransport.js';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import { SerialTransport } from '../../../drivers/serial/SerialTransport.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { serialEnumerator } from '../../../src/devices/discovery/serialEnumerator.js';
import { usbEnumerator } from '../../../src/devices/discovery/usbEnumerator.js';
import { hidEnumerator } from '../../../src/devices/discovery/hidEnumerator.js';

/** A bus whose devices the test plugs and unplugs; it counts how often a transport was built (opened later). */
class FakeBus implements PortEnumerator {
  devices: TransportDescription[] = [];
  built: string[] = [];
  failure: Error | undefined;
  constructor(readonly name: string) {}
  async list(): Promise<PortCandidate[]> {
    if (this.failure) throw this.failure;
    return this.devices.map((description) => ({
      description,
      node: description.path,
      createTransport: (path = description.path) => {
        this.built.push(path);
        return createMemoryTransportPair(path).host;
      },
    }));
  }
}

const register: TransportDescription = { kind: 'usb', path: 'usb:1-2/7', vendorId: 0x1fc9, productId: 0x8240 };
const mouse: TransportDescription = { kind: 'hid', path: 'hid:/dev/hidraw0', vendorId: 0x046d, productId: 0xc077 };
const bridge: TransportDescription = { kind: 'serial', path: '/dev/ttyUSB0', vendorId: 0x1a86, productId: 0x7523 };

describe('DeviceDiscovery', () => {
  const folders: string[] = [];
  let discovery: DeviceDiscovery | undefined;
  afterEach(async () => {
    await discovery?.stop();
    discovery = undefined;
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
  });

  it('announces only allowed devices, and their arrival and departure, without building a transport for anything else', async () => {
    const usb = new FakeBus('usb');
    const hid = new FakeBus('hid');
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['usb:1fc9:8240'] }), { enumerators: [usb, hid] });
    const events: string[] = [];
    discovery.onEvent((event) => events.push(`${event.type} ${event.port.description.path}`));

    usb.devices = [register];
    hid.devices = [mouse];
    expect((await discovery.scan()).map((port) => port.description)).toEqual([register]);
    await discovery.scan();
    usb.devices = [];
    await discovery.scan();
    expect(events).toEqual(['attached usb:1-2/7', 'detached usb:1-2/7']);
    expect(usb.built).toEqual([]);
    expect(hid.built).toEqual([]);
  });

  it('matches a VID:PID rule on any transport only when it has no transport prefix', async () => {
    const usb = new FakeBus('usb');
    usb.devices = [register];
    const anyKind = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['1FC9:8240'] }), { enumerators: [usb] });
    expect(await anyKind.scan()).toHaveLength(1);
    const serialOnly = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['serial:1fc9:8240'] }), { enumerators: [usb] });
    expect(await serialOnly.scan()).toHaveLength(0);
  });

  it('opens a serial port under its allowed stable name and counts a node reached by two names once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fiscal-disc-'));
    folders.push(folder);
    const node = join(folder, 'ttyUSB0');
    writeFileSync(node, '');
    symlinkSync(node, join(folder, 'reg-1'));
    const serial = new FakeBus('serial');
    serial.devices = [{ ...bridge, path: node }];
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: [`${folder}/reg-*`] }), { enumerators: [serial] });
    const ports = await discovery.scan();
    expect(ports).toHaveLength(1);
    expect(ports[0]!.description).toEqual({ ...bridge, path: join(folder, 'reg-1') });
    ports[0]!.createTransport();
    expect(serial.built).toEqual([join(folder, 'reg-1')]);
  });

  it('treats an allowed path that no bus lists (a pty) as a serial line, and forgets it when the path goes', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fiscal-disc-'));
    folders.push(folder);
    const link = join(folder, 'A');
    symlinkSync('/dev/null', link);
    // A sysfs that does not know the node, as it does not know a pty.
    const sysDevChar = join(folder, 'sys');
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: [link] }), { enumerators: [], sysDevChar });
    const events: DiscoveryEvent[] = [];
    discovery.onEvent((event) => events.push(event));
    const [port] = await discovery.scan();
    expect(port!.description).toEqual({ kind: 'serial', path: link });
    expect(port!.createTransport()).toBeInstanceOf(SerialTransport);
    rmSync(link);
    expect(await discovery.scan()).toEqual([]);
    expect(events.map((event) => event.type)).toEqual(['attached', 'detached']);
  });

  it('opens no folder, plain file or non-tty device that an allowed glob matches (/dev/fiscal/* holds the by-id folder)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fiscal-disc-'));
    folders.push(folder);
    mkdirSync(join(folder, 'by-id'));
    symlinkSync(join(folder, 'by-id'), join(folder, 'to-folder'));
    writeFileSync(join(folder, 'plain'), '');
    symlinkSync(join(folder, 'gone'), join(folder, 'dangling'));
    symlinkSync('/dev/null', join(folder, 'reg-1'));
    const serial = new FakeBus('serial');
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: [`${folder}/*`] }), { enumerators: [serial], sysDevChar: join(folder, 'sys') });
    expect((await discovery.scan()).map((port) => port.description.path)).toEqual([join(folder, 'reg-1')]);
    const sysfsKnowsNull = new DeviceDiscovery(parseDiscoveryConfig({ allow: [`${folder}/*`] }), { enumerators: [serial] });
    if (existsSync('/sys/dev/char')) expect(await sysfsKnowsNull.scan()).toEqual([]);
    expect(serial.built).toEqual([]);
  });

  it('keeps the devices of a bus that fails to list, rather than reporting them gone', async () => {
    const usb = new FakeBus('usb');
    usb.devices = [register];
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['1fc9:8240'] }), { enumerators: [usb] });
    const events: string[] = [];
    discovery.onEvent((event) => events.push(event.type));
    await discovery.scan();
    usb.failure = new GatewayError('USB_UNAVAILABLE', { params: { detail: 'test' } });
    expect(await discovery.scan()).toHaveLength(1);
    usb.failure = undefined;
    usb.devices = [];
    expect(await discovery.scan()).toHaveLength(0);
    expect(events).toEqual(['attached', 'detached']);
  });

  it('notices a device plugged in while polling, within the polling interval', async () => {
    const usb = new FakeBus('usb');
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['1fc9:8240'], pollIntervalMs: 50 }), { enumerators: [usb] });
    const attached = new Promise<DiscoveryEvent>((resolve) => discovery!.onEvent(resolve));
    discovery.start();
    await discovery.scan();
    usb.devices = [register];
    expect((await attached).type).toBe('attached');
  });

  it('refuses a hand-named port that is not allowed with PORT_NOT_ALLOWED', () => {
    discovery = new DeviceDiscovery(parseDiscoveryConfig({ allow: ['/dev/fiscal/*'] }), { enumerators: [] });
    expect(() => discovery!.assertAllowed({ kind: 'serial', path: '/dev/ttyS0' })).toThrow(expect.objectContaining({ code: 'PORT_NOT_ALLOWED' }));
    expect(() => discovery!.assertAllowed({ kind: 'serial', path: '/dev/fiscal/reg-1' })).not.toThrow();
    expect(() => discovery!.assertAllowed({ kind: 'serial', path: '/dev/ttyUSB0' }, ['/dev/fiscal/reg-1'])).not.toThrow();
  });

  it('lists the real serial, USB and HID buses of this machine without error, even with nothing attached', async () => {
    for (const enumerator of [serialEnumerator({ baudRate: 9600 }), usbEnumerator(), hidEnumerator()]) {
      const listed = await enumerator.list();
      for (const candidate of listed) expect(candidate.description.kind).toBe(enumerator.name);
    }
    discovery = new DeviceDiscovery(parseDiscoveryConfig({}));
    for (const port of await discovery.scan()) expect(discovery.isAllowed(port.description, [port.description.path])).toBe(true);
  });
});
