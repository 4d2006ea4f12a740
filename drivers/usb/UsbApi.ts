/**
 * The part of the `usb` package (WebUSB-style API of usb 3) that the bulk transport and discovery use.
 * The real package satisfies it as is; tests pass a fake.
 */
export interface UsbEndpointInfo {
  readonly endpointNumber: number;
  readonly direction: 'in' | 'out';
  readonly type: 'bulk' | 'interrupt' | 'isochronous';
  readonly packetSize: number;
}

export interface UsbInterfaceInfo {
  readonly interfaceNumber: number;
  readonly alternate: { readonly endpoints: readonly UsbEndpointInfo[] };
}

export interface UsbInResult {
  readonly data?: DataView;
  readonly status: 'ok' | 'stall' | 'babble';
}

export interface UsbOutResult {
  readonly bytesWritten: number;
  readonly status: 'ok' | 'stall';
}

export interface UsbDeviceHandle {
  readonly vendorId: number;
  readonly productId: number;
  readonly serialNumber?: string | null;
  readonly manufacturerName?: string | null;
  readonly productName?: string | null;
  /** Where the device sits (bus and port chain as the library reports it) and its address on the bus. */
  readonly bus: string;
  readonly address: number;
  readonly configuration?: { readonly interfaces: readonly UsbInterfaceInfo[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(interfaceNumber: number): Promise<void>;
  releaseInterface(interfaceNumber: number): Promise<void>;
  clearHalt(direction: 'in' | 'out', endpointNumber: number): Promise<void>;
  transferIn(endpointNumber: number, length: number): Promise<UsbInResult>;
  transferOut(endpointNumber: number, data: Uint8Array): Promise<UsbOutResult>;
}

export interface UsbApi {
  /** Every USB device the host sees; an empty list on a machine without a USB bus. */
  getDevices(): Promise<UsbDeviceHandle[]>;
}

/** The transport path of a USB device: stable while it stays plugged in. */
export function usbPathOf(device: Pick<UsbDeviceHandle, 'bus' | 'address'>): string {
  return `usb:${device.bus}/${device.address}`;
}
