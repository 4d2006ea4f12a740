import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { ioFailure, notOpen, openFailed } from '../transportErrors.js';
import { TransportEvents, type CloseListener, type DataListener } from '../TransportEvents.js';
import type { HidApi, HidDeviceHandle, HidDeviceInfo } from './HidApi.js';
import { payloadOfReport, splitIntoReports } from './hidReports.js';

export interface HidTransportOptions {
  /** As listed by `HidApi.devices()`; `path` is what gets opened. */
  readonly info: HidDeviceInfo & { readonly path: string };
  readonly api: HidApi;
  /** How long one read waits for a report before checking whether the transport was closed. Default 200 ms. */
  readonly readTimeoutMs?: number;
}

/** The transport path of a HID device. */
function hidPathOf(info: { readonly path: string }): string {
  return `hid:${info.path}`;
}

/** A register that carries GB link in 64-byte HID reports with a one-byte length prefix. */
export class HidTransport implements ByteTransport {
  readonly description: TransportDescription;
  private handle: HidDeviceHandle | undefined;
  private state: 'closed' | 'open' | 'closing' = 'closed';
  private closing: Promise<void> = Promise.resolve();
  private unplugged = false;
  private invalidReports = 0;
  private writes: Promise<void> = Promise.resolve();
  private readLoop: Promise<void> = Promise.resolve();
  private readonly events = new TransportEvents();

  constructor(private readonly options: HidTransportOptions) {
    const { info } = options;
    this.description = {
      kind: 'hid',
      path: hidPathOf(info),
      vendorId: info.vendorId,
      productId: info.productId,
      ...(info.serialNumber ? { serialNumber: info.serialNumber } : {}),
      ...(info.manufacturer ? { manufacturer: info.manufacturer } : {}),
      ...(info.product ? { product: info.product } : {}),
    };
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** Input reports dropped because their length byte was impossible; the link layer resyncs past the gap. */
  get droppedReports(): number {
    return this.invalidReports;
  }

  async open(): Promise<void> {
    await this.closing;
    if (this.state !== 'closed') return;
    try {
      this.handle = await this.options.api.open(this.options.info.path);
    } catch (cause) {
      if (isGatewayError(cause)) throw cause;
      throw openFailed(this.description.path, cause);
    }
    this.state = 'open';
    this.unplugged = false;
    this.events.opened();
    this.readLoop = this.readUntilClosed(this.handle);
  }

  /** Resolves when every report has been handed to the OS; an empty write sends nothing. */
  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.requireOpen();
    const reports = splitIntoReports(bytes);
    const result = this.writes.then(async () => {
      for (const report of reports) {
        if (this.state !== 'open') throw notOpen(this.description.path, this.unplugged);
        let written: number;
        try {
          written = await handle.write(report);
        } catch (cause) {
          throw await this.fail(cause);
        }
        // hidapi counts the report id byte; a device that took less has lost part of the frame.
        if (written < report.length) {
          throw new GatewayError('TRANSPORT_IO_FAILED', {
            params: { path: this.description.path, detail: `${written} of ${report.length} report bytes written` },
          });
        }
      }
    });
    this.writes = result.catch(() => undefined);
    await result;
  }

  onData(listener: DataListener): Unsubscribe {
    return this.events.onData(listener);
  }

  onClose(listener: CloseListener): Unsubscribe {
    return this.events.onClose(listener);
  }

  /** Resolves once the device is closed, also when a close is already under way. */
  close(): Promise<void> {
    return this.shut(undefined);
  }

  private async readUntilClosed(handle: HidDeviceHandle): Promise<void> {
    const timeout = this.options.readTimeoutMs ?? 200;
    while (this.state === 'open') {
      let report: Uint8Array | undefined;
      try {
        report = await handle.read(timeout);
      } catch (cause) {
        if (this.state === 'open') await this.fail(cause);
        return;
      }
      if (this.state !== 'open' || report === undefined) continue;
      let payload: Uint8Array;
      try {
        payload = payloadOfReport(report);
      } catch {
        this.invalidReports += 1;
        continue;
      }
      this.events.data(payload);
    }
  }

  /** A read or write failed: close, as unplugged when the device is no longer listed. */
  private async fail(cause: unknown): Promise<GatewayError> {
    if (isGatewayError(cause)) return cause;
    if (this.state !== 'open') return notOpen(this.description.path, this.unplugged);
    const path = this.options.info.path;
    const present = await this.options.api.devices().then(
      (devices) => devices.some((device) => device.path === path),
      () => false,
    );
    const error = ioFailure(this.description.path, cause, present);
    // A close asked for meanwhile waits for the read loop, which may be this very call: do not wait for it.
    if (this.state !== 'open') return error;
    this.unplugged = !present;
    await this.shut(error);
    return error;
  }

  private shut(reason: GatewayError | undefined): Promise<void> {
    if (this.state === 'open') {
      this.state = 'closing';
      this.closing = this.closeHandle(reason);
    }
    return this.closing;
  }

  private async closeHandle(reason: GatewayError | undefined): Promise<void> {
    const handle = this.handle;
    // A requested close lets the pending read end first, so the handle is never closed under it.
    if (reason === undefined) await this.readLoop;
    await handle?.close().catch(() => undefined);
    this.handle = undefined;
    this.state = 'closed';
    this.events.closed(reason);
  }

  private requireOpen(): HidDeviceHandle {
    if (this.state !== 'open' || !this.handle) throw notOpen(this.description.path, this.unplugged);
    return this.handle;
  }
}
