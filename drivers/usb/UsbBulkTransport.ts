import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { ioFailure, notOpen, openFailed } from '../transportErrors.js';
import { TransportEvents, type CloseListener, type DataListener } from '../TransportEvents.js';
import { findBulkPair, type BulkPair } from './bulkPair.js';
import { classifyTransferFailure } from './transferFailure.js';
import { usbPathOf, type UsbApi, type UsbDeviceHandle, type UsbInResult, type UsbOutResult } from './UsbApi.js';
import { usbDescriptionOf, usbStringsOf } from './usbDescription.js';

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

/**
 * A register that carries GB link over a vendor-class USB interface with one bulk IN and one bulk OUT
 * endpoint. A write is not followed by a zero-length packet: GB-link frames carry their own length.
 */
export class UsbBulkTransport implements ByteTransport {
  private description_: TransportDescription;
  private pair: BulkPair | undefined;
  private state: 'closed' | 'open' | 'closing' = 'closed';
  private closing: Promise<void> = Promise.resolve();
  private unplugged = false;
  private writes: Promise<void> = Promise.resolve();
  private readLoop: Promise<void> = Promise.resolve();
  private readonly events = new TransportEvents();

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
    await this.closing;
    if (this.state !== 'closed') return;
    const { device } = this.options;
    const path = this.description.path;
    try {
      await device.open();
    } catch (cause) {
      throw openFailed(path, cause);
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
      throw openFailed(path, cause);
    }
    this.description_ = { ...usbDescriptionOf(device), ...usbStringsOf(device) };
    this.pair = pair;
    this.state = 'open';
    this.unplugged = false;
    this.events.opened();
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
    return this.events.onData(listener);
  }

  onClose(listener: CloseListener): Unsubscribe {
    return this.events.onClose(listener);
  }

  /** Resolves once the device is released and closed, also when a close is already under way. */
  close(): Promise<void> {
    return this.shut(undefined);
  }

  private async writeAll(pair: BulkPair, bytes: Uint8Array): Promise<void> {
    const endpoint = pair.outEndpoint.endpointNumber;
    let offset = 0;
    while (offset < bytes.length) {
      if (this.state !== 'open') throw notOpen(this.description.path, this.unplugged);
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
      if (view) this.events.data(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
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
    const path = this.description.path;
    if (this.state !== 'open') return notOpen(path, this.unplugged);
    const present = await this.options.api.getDevices().then(
      (devices) => devices.some((device) => usbPathOf(device) === path),
      () => false,
    );
    const error = ioFailure(path, cause, present);
    // A close asked for meanwhile waits for the read loop, which may be this very call: do not wait for it.
    if (this.state !== 'open') return error;
    this.unplugged = !present;
    await this.shut(error);
    return error;
  }

  private shut(reason: GatewayError | undefined): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      this.closing = this.release(reason);
    }
    return this.closing;
  }

  private async release(reason: GatewayError | undefined): Promise<void> {
    const { device } = this.options;
    if (!this.unplugged && this.pair) await device.releaseInterface(this.pair.interfaceNumber).catch(() => undefined);
    await device.close().catch(() => undefined);
    if (reason === undefined) await this.readLoop;
    this.state = 'closed';
    this.pair = undefined;
    this.events.closed(reason);
  }

  private requireOpen(): BulkPair {
    if (this.state !== 'open' || !this.pair) throw notOpen(this.description.path, this.unplugged);
    return this.pair;
  }
}
