import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { classifyTransferFailure } from './transferFailure.js';
import { usbPathOf, type UsbApi, type UsbDeviceHandle, type UsbEndpointInfo, type UsbInResult, type UsbOutResult } from './UsbApi.js';

type DataListener = (chunk: Uint8Array) => void;
type CloseListener = (error?: Error) => void;

export interface UsbBulkTransportOptions {
  readonly device: UsbDeviceHandle;
  /** Used after a failed transfer to tell an unplugged device from a faulty one. */
  readonly api: UsbApi;
  /** The interface holding the bulk pair; the first interface that has one when omitted. */
  readonly interfaceNumber?: number;
  /** Bytes asked for per IN transfer, rounded up to whole packets of the IN endpoint. Default 4096. */
  readonly readSize?: number;
}

/** A halted endpoint is cleared this many times in a row before the transport gives up on it. */
const maxClearHalts = 3;

/** The library asks the device for whole packets and drops what does not fit the requested length. */
function wholePackets(length: number, packetSize: number): number {
  const packet = Math.max(1, packetSize);
  return Math.max(1, Math.ceil(length / packet)) * packet;
}

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

interface BulkPair {
  readonly interfaceNumber: number;
  readonly inEndpoint: UsbEndpointInfo;
  readonly outEndpoint: UsbEndpointInfo;
}

function findBulkPair(device: UsbDeviceHandle, wanted?: number): BulkPair | undefined {
  for (const candidate of device.configuration?.interfaces ?? []) {
    if (wanted !== undefined && candidate.interfaceNumber !== wanted) continue;
    const endpoints = candidate.alternate.endpoints;
    const inEndpoint = endpoints.find((endpoint) => endpoint.type === 'bulk' && endpoint.direction === 'in');
    const outEndpoint = endpoints.find((endpoint) => endpoint.type === 'bulk' && endpoint.direction === 'out');
    if (inEndpoint && outEndpoint) return { interfaceNumber: candidate.interfaceNumber, inEndpoint, outEndpoint };
  }
  return undefined;
}

/** What can be known of a USB device without opening it. */
export function usbDescriptionOf(device: UsbDeviceHandle): TransportDescription {
  return { kind: 'usb', path: usbPathOf(device), vendorId: device.vendorId, productId: device.productId };
}

/**
 * The device's serial number and names. node-usb opens the device to read a string the system has not
 * cached, so this is for a device that is allowed and open; a string that cannot be read is left out.
 */
function usbStringsOf(device: UsbDeviceHandle): Pick<TransportDescription, 'serialNumber' | 'manufacturer' | 'product'> {
  const read = (get: () => string | null | undefined): string | undefined => {
    try {
      return get() || undefined;
    } catch {
      return undefined;
    }
  };
  const serialNumber = read(() => device.serialNumber);
  const manufacturer = read(() => device.manufacturerName);
  const product = read(() => device.productName);
  return {
    ...(serialNumber ? { serialNumber } : {}),
    ...(manufacturer ? { manufacturer } : {}),
    ...(product ? { product } : {}),
  };
}

/** A register that carries GB link over a vendor-class USB interface with one bulk IN and one bulk OUT endpoint. */
export class UsbBulkTransport implements ByteTransport {
  private description_: TransportDescription;
  private pair: BulkPair | undefined;
  private state: 'closed' | 'open' | 'closing' = 'closed';
  private unplugged = false;
  private writes: Promise<void> = Promise.resolve();
  private readLoop: Promise<void> = Promise.resolve();
  private readonly dataListeners = new Set<DataListener>();
  private readonly closeListeners = new Set<CloseListener>();

  constructor(private readonly options: UsbBulkTransportOptions) {
    this.description_ = usbDescriptionOf(options.device);
  }

  /** Ids and place; the serial number and names join once the device is open (reading them may open it). */
  get description(): TransportDescription {
    return this.description_;
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  async open(): Promise<void> {
    if (this.state !== 'closed') return;
    const { device } = this.options;
    const path = this.description.path;
    try {
      await device.open();
    } catch (cause) {
      throw new GatewayError('TRANSPORT_OPEN_FAILED', { params: { path, detail: detailOf(cause) }, cause });
    }
    const pair = findBulkPair(device, this.options.interfaceNumber);
    if (!pair) {
      await device.close().catch(() => undefined);
      throw new GatewayError('USB_ENDPOINTS_NOT_FOUND', { params: { path } });
    }
    try {
      await device.claimInterface(pair.interfaceNumber);
    } catch (cause) {
      await device.close().catch(() => undefined);
      throw new GatewayError('TRANSPORT_OPEN_FAILED', { params: { path, detail: detailOf(cause) }, cause });
    }
    this.description_ = { ...usbDescriptionOf(device), ...usbStringsOf(device) };
    this.pair = pair;
    this.state = 'open';
    this.unplugged = false;
    this.readLoop = this.readUntilClosed(pair);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const pair = this.requireOpen();
    const copy = Uint8Array.from(bytes);
    const result = this.writes.then(() => this.writeAll(pair, copy));
    this.writes = result.catch(() => undefined);
    await result;
  }

  onData(listener: DataListener): Unsubscribe {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  onClose(listener: CloseListener): Unsubscribe {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  async close(): Promise<void> {
    await this.shut(undefined);
  }

  private async writeAll(pair: BulkPair, bytes: Uint8Array): Promise<void> {
    const endpoint = pair.outEndpoint.endpointNumber;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.state !== 'open') throw this.closedError();
      let result: UsbOutResult;
      try {
        result = await this.options.device.transferOut(endpoint, bytes.subarray(offset));
      } catch (cause) {
        if (classifyTransferFailure(cause) !== 'stall') throw await this.fail(cause);
        result = { bytesWritten: 0, status: 'stall' };
      }
      if (result.status !== 'ok' || result.bytesWritten <= 0) {
        // The rest of this write is lost; the link layer resyncs. A cleared endpoint serves the next write.
        if (result.status !== 'ok') await this.options.device.clearHalt('out', endpoint).catch(() => undefined);
        throw new GatewayError('TRANSPORT_IO_FAILED', { params: { path: this.description.path, detail: `bulk OUT ${result.status}` } });
      }
      offset += result.bytesWritten;
    }
  }

  private async readUntilClosed(pair: BulkPair): Promise<void> {
    const endpoint = pair.inEndpoint.endpointNumber;
    const length = wholePackets(this.options.readSize ?? 4096, pair.inEndpoint.packetSize);
    let stalls = 0;
    while (this.state === 'open') {
      let result: UsbInResult;
      try {
        result = await this.options.device.transferIn(endpoint, length);
      } catch (cause) {
        if (this.state !== 'open') return;
        const failure = classifyTransferFailure(cause);
        if (failure === 'timeout') continue;
        if (failure === 'stall' && (await this.clearStall(endpoint, ++stalls))) continue;
        await this.fail(cause);
        return;
      }
      if (this.state !== 'open') return;
      if (result.status !== 'ok') {
        if (await this.clearStall(endpoint, ++stalls)) continue;
        await this.fail(new Error(`bulk IN ${result.status}`));
        return;
      }
      stalls = 0;
      const view = result.data;
      // A zero-length packet ends a transfer that filled whole packets; it carries no bytes.
      if (view && view.byteLength > 0) {
        const chunk = new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
        for (const listener of [...this.dataListeners]) listener(chunk);
      }
    }
  }

  /** Clears a halted IN endpoint, unless it halted `maxClearHalts` times in a row already. */
  private async clearStall(endpoint: number, stallsInARow: number): Promise<boolean> {
    if (stallsInARow > maxClearHalts) return false;
    return this.options.device.clearHalt('in', endpoint).then(() => true, () => false);
  }

  /** A transfer failed: close the transport, as unplugged when the device is no longer on the bus. */
  private async fail(cause: unknown): Promise<GatewayError> {
    if (isGatewayError(cause)) return cause;
    if (this.state !== 'open') return this.closedError();
    const path = this.description.path;
    const present = await this.options.api.getDevices().then(
      (devices) => devices.some((device) => usbPathOf(device) === path),
      () => false,
    );
    const error = present
      ? new GatewayError('TRANSPORT_IO_FAILED', { params: { path, detail: detailOf(cause) }, cause })
      : new GatewayError('TRANSPORT_UNPLUGGED', { params: { path }, cause });
    this.unplugged = !present;
    await this.shut(error);
    return error;
  }

  private async shut(reason: GatewayError | undefined): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const { device } = this.options;
    if (!this.unplugged && this.pair) await device.releaseInterface(this.pair.interfaceNumber).catch(() => undefined);
    await device.close().catch(() => undefined);
    if (reason === undefined) await this.readLoop;
    this.state = 'closed';
    this.pair = undefined;
    for (const listener of [...this.closeListeners]) listener(reason);
  }

  private requireOpen(): BulkPair {
    if (this.state !== 'open' || !this.pair) throw this.closedError();
    return this.pair;
  }

  private closedError(): GatewayError {
    return new GatewayError(this.unplugged ? 'TRANSPORT_UNPLUGGED' : 'TRANSPORT_CLOSED', { params: { path: this.description.path } });
  }
}
