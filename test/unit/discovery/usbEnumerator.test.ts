import { describe, expect, it } from 'vitest';
import { usbEnumerator } from '../../../src/devices/discovery/usbEnumerator.js';
import type { UsbApi, UsbDeviceHandle, UsbInResult, UsbOutResult } from '../../../drivers/usb/UsbApi.js';

/**
 * A device as node-usb 3 hands it out: its string getters open the device to read a descriptor
 * the system did not cache, which fails without permission to the node.
 */
class UnopenedUsbDevice implements UsbDeviceHandle {
  readonly vendorId = 0x046d;
  readonly productId = 0xc077;
  readonly bus = '1';
  readonly address = 4;
  readonly configuration = { interfaces: [{ interfaceNumber: 0, alternate: { endpoints: [
    { endpointNumber: 1, direction: 'in' as const, type: 'bulk' as const, packetSize: 64 },
    { endpointNumber: 2, direction: 'out' as const, type: 'bulk' as const, packetSize: 64 },
  ] } }] };
  opened = false;
  stringReads = 0;
  private string(value: string): string {
    this.stringReads += 1;
    if (!this.opened) throw new Error('open error: Permission denied (os error 13)');
    return value;
  }
  get serialNumber(): string {
    return this.string('SN9');
  }
  get manufacturerName(): string {
    return this.string('Acme');
  }
  get productName(): string {
    return this.string('ECR');
  }
  async open(): Promise<void> {
    this.opened = true;
  }
  async close(): Promise<void> {
    this.opened = false;
  }
  async claimInterface(): Promise<void> {}
  async releaseInterface(): Promise<void> {}
  async clearHalt(): Promise<void> {}
  async transferIn(): Promise<UsbInResult> {
    await new Promise((resolve) => setTimeout(resolve, 5));
    throw new Error('transferIn error: Cancelled');
  }
  async transferOut(_endpoint: number, data: Uint8Array): Promise<UsbOutResult> {
    return { bytesWritten: data.length, status: 'ok' };
  }
}

describe('usbEnumerator', () => {
  it('lists devices by ids and place without reading their strings (which could open a device not allowed)', async () => {
    const device = new UnopenedUsbDevice();
    const api: UsbApi = { getDevices: async () => [device] };
    const [candidate] = await usbEnumerator(api).list();
    expect(candidate!.description).toEqual({ kind: 'usb', path: 'usb:1/4', vendorId: 0x046d, productId: 0xc077 });
    expect(device.stringReads).toBe(0);
    expect(device.opened).toBe(false);

    const transport = candidate!.createTransport();
    await transport.open();
    expect(transport.description).toEqual({
      kind: 'usb', path: 'usb:1/4', vendorId: 0x046d, productId: 0xc077, serialNumber: 'SN9', manufacturer: 'Acme', product: 'ECR',
    });
    await transport.close();
  });
});
