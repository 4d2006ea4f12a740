import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import type { HidApi, HidDeviceHandle, HidDeviceInfo } from './HidApi.js';
import { payloadOfReport, splitIntoReports } from './hidReports.js';

type DataListener = (chunk: Uint8Array) => void;
type CloseListener = (error?: Error) => void;

export interface HidTransportOptions {
  /** As listed by `HidApi.devices()`; `path` is what gets opened. */
  readonly info: HidDeviceInfo & { readonly path: string };
  readonly api: HidApi;
  /** How long one read waits for a report before checking whether the transport was closed. Default 200 ms. */
  readonly readTimeoutMs?: number;
}

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The transport path of a HID device. */
export function hidPathOf(info: { readonly path: string }): string {
  return `hid:${info.path}`;
}

/** A register that carries GB link in 64-byte HID reports with a one-byte length prefix. */
export class HidTransport implements ByteTransport {
  readonly description: TransportDescription;
  private handle: HidDeviceHandle | undefined;
  private state: 'closed' | 'open' | 'closing' = 'closed';
  private unplugged = false;
  private invalidReports = 0;
  private writes: Promise<void> = Promise.resolve();
  private readLoop: Promise<void> = Promise.resolve();
  private readonly dataListeners = new Set<DataListener>();
  private readonly closeListeners = new Set<CloseListener>();

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
    if (this.state !== 'closed') return;
    try {
      this.handle = await this.options.api.open(this.options.info.path);
    } catch (cause) {
      if (isGatewayError(cause)) throw cause;
      throw new GatewayError('TRANSPORT_OPEN_FAILED', { params: { path: this.description.path, detail: detailOf(cause) }, cause });
    }
    this.state = 'open';
    this.unplugged = false;
    this.readLoop = this.readUntilClosed(this.handle);
  }

  async write(bytes: Uint8Array): Promise<void> {
    const handle = this.requireOpen();
    const reports = splitIntoReports(bytes);
    const result = this.writes.then(async () => {
      for (const report of reports) {
        if (this.state !== 'open') throw this.closedError();
        try {
          await handle.write(report);
        } catch (cause) {
          throw await this.fail(cause);
        }
      }
    });
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
      if (payload.length === 0) continue;
      for (const listener of [...this.dataListeners]) listener(payload);
    }
  }

  /** A read or write failed: close, as unplugged when the device is no longer listed. */
  private async fail(cause: unknown): Promise<GatewayError> {
    if (isGatewayError(cause)) return cause;
    if (this.state !== 'open') return this.closedError();
    const path = this.options.info.path;
    const present = await this.options.api.devices().then(
      (devices) => devices.some((device) => device.path === path),
      () => false,
    );
    const error = present
      ? new GatewayError('TRANSPORT_IO_FAILED', { params: { path: this.description.path, detail: detailOf(cause) }, cause })
      : new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: this.description.path }, cause });
    this.unplugged = !present;
    await this.shut(error);
    return error;
  }

  private async shut(reason: GatewayError | undefined): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closing';
    const handle = this.handle;
    if (reason === undefined) await this.readLoop;
    await handle?.close().catch(() => undefined);
    this.handle = undefined;
    this.state = 'closed';
    for (const listener of [...this.closeListeners]) listener(reason);
  }

  private requireOpen(): HidDeviceHandle {
    if (this.state !== 'open' || !this.handle) throw this.closedError();
    return this.handle;
  }

  private closedError(): GatewayError {
    return new GatewayError(this.unplugged ? 'TRANSPORT_UNPLUGGED' : 'TRANSPORT_CLOSED', { params: { path: this.description.path } });
  }
}
