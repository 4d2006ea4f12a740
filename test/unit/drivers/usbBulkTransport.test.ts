import { describe, expect, it } from 'vitest';
import { UsbBulkTransport } from '../../../drivers/usb/UsbBulkTransport.js';
import type { UsbApi, UsbDeviceHandle, UsbInResult, UsbInterfaceInfo, UsbOutResult } from '../../../drivers/usb/UsbApi.js';
import { isGatewayError } from '../../../contracts/errors/index.js';

const bulkInterface: UsbInterfaceInfo = {
  interfaceNumber: 1,
  alternate: {
    endpoints: [
      { endpointNumber: 3, direction: 'in', type: 'interrupt', packetSize: 8 },
      { endpointNumber: 1, direction: 'in', type: 'bulk', packetSize: 64 },
      { endpointNumber: 2, direction: 'out', type: 'bulk', packetSize: 64 },
    ],
  },
};

/** A USB device in memory: the test queues IN data and sees OUT transfers; OUT accepts at most `outLimit` bytes per transfer. */
class FakeUsbDevice implements UsbDeviceHandle {
  readonly vendorId = 0x1fc9;
  readonly productId = 0x8240;
  readonly serialNumber = 'SN1';
  readonly manufacturerName = 'Acme';
  readonly productName = null;
  readonly bus = '1-2';
  readonly address = 7;
  configuration: { interfaces: UsbInterfaceInfo[] } = { interfaces: [{ interfaceNumber: 0, alternate: { endpoints: [] } }, bulkInterface] };
  readonly out: { endpoint: number; bytes: number[] }[] = [];
  readonly inbox: Uint8Array[] = [];
  readonly log: string[] = [];
  outLimit = 64;
  present = true;
  inError: Error | undefined;
  /** Thrown, one per transfer, before any queued data (node-usb 3 reports a stall by throwing). */
  readonly inFaults: Error[] = [];
  readonly outFaults: Error[] = [];
  readonly inLengths: number[] = [];
  private waiting: (() => void) | undefined;

  async open(): Promise<void> {
    if (!this.present) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    this.log.push('open');
  }
  closeDelayMs = 0;
  async close(): Promise<void> {
    if (this.closeDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.closeDelayMs));
    this.log.push('close');
    this.waiting?.();
  }
  async claimInterface(n: number): Promise<void> {
    this.log.push(`claim ${n}`);
  }
  async releaseInterface(n: number): Promise<void> {
    this.log.push(`release ${n}`);
  }
  async clearHalt(direction: 'in' | 'out', endpoint: number): Promise<void> {
    this.log.push(`clearHalt ${direction} ${endpoint}`);
  }
  async transferIn(endpoint: number, length: number): Promise<UsbInResult> {
    expect(endpoint).toBe(1);
    this.inLengths.push(length);
    const fault = this.inFaults.shift();
    if (fault) throw fault;
    if (this.inbox.length === 0) {
      await new Promise<void>((resolve) => {
        this.waiting = resolve;
        setTimeout(resolve, 10);
      });
    }
    if (this.inError) throw this.inError;
    const next = this.inbox.shift();
    // node-usb 3 ends an idle transfer at its timeout by cancelling it.
    if (next === undefined) throw new Error('transferIn error: Cancelled');
    const data = next.subarray(0, length);
    return { data: new DataView(data.buffer, data.byteOffset, data.byteLength), status: 'ok' };
  }
  async transferOut(endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    if (!this.present) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    const fault = this.outFaults.shift();
    if (fault) throw fault;
    const taken = data.subarray(0, this.outLimit);
    this.out.push({ endpoint, bytes: [...taken] });
    return { bytesWritten: taken.length, status: 'ok' };
  }
  push(bytes: number[]): void {
    this.inbox.push(Uint8Array.from(bytes));
    this.waiting?.();
  }
  failIn(error: Error): void {
    this.inError = error;
    this.waiting?.();
  }
}

function apiOf(device: FakeUsbDevice, listingDelayMs = 0): UsbApi {
  return {
    getDevices: async () => {
      if (listingDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, listingDelayMs));
      return device.present ? [device] : [];
    },
  };
}

describe('UsbBulkTransport over a fake usb device', () => {
  it('claims the interface with the bulk pair, describes the device (its strings once open), and releases it on close', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    expect(transport.description).toEqual({ kind: 'usb', path: 'usb:1-2/7', vendorId: 0x1fc9, productId: 0x8240 });
    await transport.open();
    expect(transport.isOpen).toBe(true);
    expect(transport.description).toEqual({ kind: 'usb', path: 'usb:1-2/7', vendorId: 0x1fc9, productId: 0x8240, serialNumber: 'SN1', manufacturer: 'Acme' });
    await transport.close();
    expect(device.log).toEqual(['open', 'claim 1', 'release 1', 'close']);
  });

  it('continues a write the device took only partly until every byte is out, in order', async () => {
    const device = new FakeUsbDevice();
    device.outLimit = 64;
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const frame = Uint8Array.from({ length: 200 }, (_, i) => i);
    await Promise.all([transport.write(frame), transport.write(Uint8Array.of(0xaa))]);
    expect(device.out.map((each) => each.bytes.length)).toEqual([64, 64, 64, 8, 1]);
    expect(device.out.every((each) => each.endpoint === 2)).toBe(true);
    expect(device.out.flatMap((each) => each.bytes)).toEqual([...frame, 0xaa]);
    await transport.close();
  });

  it('delivers IN transfers as they come, riding over read timeouts', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const seen: number[] = [];
    const done = new Promise<void>((resolve) => transport.onData((chunk) => {
      seen.push(...chunk);
      if (seen.length === 5) resolve();
    }));
    device.push([0x4f, 0x4b]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    device.push([1, 2, 3]);
    await done;
    expect(seen).toEqual([0x4f, 0x4b, 1, 2, 3]);
    await transport.close();
  });

  it('refuses a device without a bulk pair with USB_ENDPOINTS_NOT_FOUND and leaves it closed', async () => {
    const device = new FakeUsbDevice();
    device.configuration = { interfaces: [{ interfaceNumber: 0, alternate: { endpoints: [] } }] };
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await expect(transport.open()).rejects.toMatchObject({ code: 'USB_ENDPOINTS_NOT_FOUND' });
    expect(device.log).toEqual(['open', 'close']);
    expect(transport.isOpen).toBe(false);
  });

  it('maps a failed open to TRANSPORT_OPEN_FAILED', async () => {
    const device = new FakeUsbDevice();
    device.present = false;
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await expect(transport.open()).rejects.toMatchObject({ code: 'TRANSPORT_OPEN_FAILED', params: { path: 'usb:1-2/7' } });
  });

  it('closes with TRANSPORT_UNPLUGGED when a transfer fails and the device is gone from the bus', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
    device.present = false;
    device.failIn(new Error('LIBUSB_ERROR_NO_DEVICE'));
    expect(isGatewayError(await closed, 'TRANSPORT_UNPLUGGED')).toBe(true);
    await expect(transport.write(Uint8Array.of(1))).rejects.toMatchObject({ code: 'TRANSPORT_UNPLUGGED' });
  });

  it('closes with TRANSPORT_IO_FAILED when a transfer fails but the device is still there', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
    device.failIn(new Error('LIBUSB_ERROR_IO'));
    expect(isGatewayError(await closed, 'TRANSPORT_IO_FAILED')).toBe(true);
  });

  it('treats the idle timeout of a transfer (node-usb 3 cancels it) as no data, not as a fault', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const closes: unknown[] = [];
    transport.onClose((reason) => closes.push(reason));
    const received = new Promise<number[]>((resolve) => transport.onData((chunk) => resolve([...chunk])));
    device.inFaults.push(new Error('transferIn error: Cancelled'), new Error('LIBUSB_TRANSFER_TIMED_OUT'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    device.push([0x4f, 0x4b]);
    expect(await received).toEqual([0x4f, 0x4b]);
    expect(transport.isOpen).toBe(true);
    expect(closes).toEqual([]);
    await transport.close();
  });

  it('clears a stalled IN endpoint and goes on reading', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    device.inFaults.push(new Error('transferIn error: Stall'));
    device.push([7]);
    const received = new Promise<number[]>((resolve) => transport.onData((chunk) => resolve([...chunk])));
    await transport.open();
    expect(await received).toEqual([7]);
    expect(device.log).toContain('clearHalt in 1');
    expect(transport.isOpen).toBe(true);
    await transport.close();
  });

  it('closes with TRANSPORT_IO_FAILED when the IN endpoint stalls again right after every clear-halt', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const closed = new Promise<Error | undefined>((resolve) => transport.onClose(resolve));
    for (let i = 0; i < 50; i++) device.inFaults.push(new Error('transferIn error: Stall'));
    expect(isGatewayError(await closed, 'TRANSPORT_IO_FAILED')).toBe(true);
    expect(device.log.filter((line) => line === 'clearHalt in 1')).toHaveLength(3);
  });

  it('clears a stalled OUT endpoint, fails that write with TRANSPORT_IO_FAILED and stays open for the next', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    device.outFaults.push(new Error('transferOut error: Stall'));
    await expect(transport.write(Uint8Array.of(1, 2))).rejects.toMatchObject({ code: 'TRANSPORT_IO_FAILED' });
    expect(device.log).toContain('clearHalt out 2');
    expect(transport.isOpen).toBe(true);
    await transport.write(Uint8Array.of(3));
    expect(device.out.flatMap((each) => each.bytes)).toEqual([3]);
    await transport.close();
  });

  it('asks for whole packets on IN (the library drops what a shorter request cannot hold) and skips zero-length packets', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device), readSize: 100 });
    await transport.open();
    const chunks: number[][] = [];
    const received = new Promise<void>((resolve) => transport.onData((chunk) => {
      chunks.push([...chunk]);
      resolve();
    }));
    device.push([]);
    device.push([9]);
    await received;
    expect(chunks).toEqual([[9]]);
    expect(device.inLengths.every((length) => length === 128)).toBe(true);
    await transport.close();
  });

  it('lets a second close wait for the first, and reopens when asked to open while closing', async () => {
    const device = new FakeUsbDevice();
    device.closeDelayMs = 10;
    const transport = new UsbBulkTransport({ device, api: apiOf(device) });
    await transport.open();
    const first = transport.close();
    await transport.close();
    expect(device.log).toEqual(['open', 'claim 1', 'release 1', 'close']);
    await first;
    const closing = transport.close();
    await transport.open();
    await closing;
    expect(transport.isOpen).toBe(true);
    await transport.close();
  });

  it('closes when asked to while it is finding out whether a failed device is still on the bus', async () => {
    const device = new FakeUsbDevice();
    const transport = new UsbBulkTransport({ device, api: apiOf(device, 20) });
    await transport.open();
    const reasons: (Error | undefined)[] = [];
    transport.onClose((reason) => reasons.push(reason));
    device.present = false;
    device.failIn(new Error('transferIn error: Disconnected'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await transport.close();
    expect(transport.isOpen).toBe(false);
    expect(reasons).toHaveLength(1);
  });
});
