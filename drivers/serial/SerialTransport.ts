import { SerialPortStream } from '@serialport/stream';
import { InterByteTimeoutParser } from '@serialport/parser-inter-byte-timeout';
import type { BindingInterface } from '@serialport/bindings-cpp';
import type { ByteTransport, LineRate, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError, isGatewayError } from '../../contracts/errors/index.js';
import { TransportEvents, type CloseListener, type DataListener } from '../TransportEvents.js';
import { notOpen, openFailed } from '../transportErrors.js';
import { assertBaudRate, type BaudRate } from './baudRates.js';
import { loadSerialBinding } from './loadSerialBinding.js';

export interface SerialTransportOptions {
  readonly path: string;
  /** Default 9600, the speed every GB-link register starts at. */
  readonly baudRate?: number;
  /** The serialport binding; the operating system's (loaded lazily) unless a test passes `MockBinding`. */
  readonly binding?: BindingInterface | (() => Promise<BindingInterface>);
  /**
   * When set, received bytes are delivered in chunks that end where the line went silent for this
   * many milliseconds (`@serialport/parser-inter-byte-timeout`), so a reader can drop a partial frame
   * at a chunk boundary. It delays every chunk by the interval, so it is off by default.
   */
  readonly interByteTimeoutMs?: number;
  /** What discovery knows about the port (vendor, product, serial number). */
  readonly info?: Omit<TransportDescription, 'kind' | 'path'>;
}

function detailOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A GB-link register on an RS-232 or USB-CDC line: 8 data bits, no parity, one stop bit. */
export class SerialTransport implements ByteTransport {
  readonly description: TransportDescription;
  private baudRate_: BaudRate;
  private stream: SerialPortStream | undefined;
  private unplugged = false;
  private readonly events = new TransportEvents();
  /** The close under way: a second `close()` waits for it instead of closing the stream again. */
  private closing: Promise<void> | undefined;

  constructor(private readonly options: SerialTransportOptions) {
    this.baudRate_ = assertBaudRate(options.baudRate ?? 9600);
    this.description = { ...options.info, kind: 'serial', path: options.path };
  }

  get isOpen(): boolean {
    return this.stream?.isOpen === true;
  }

  get baudRate(): BaudRate {
    return this.baudRate_;
  }

  /** The line-rate capability of ByteTransport (bulk-rate switching uses this, not the class). */
  readonly lineRate: LineRate = ((transport: SerialTransport): LineRate => ({
    get baudRate(): number {
      return transport.baudRate;
    },
    setBaudRate: (baudRate: number) => transport.setBaudRate(baudRate),
  }))(this);

  async open(): Promise<void> {
    if (this.stream) return;
    const binding = await this.resolveBinding();
    const stream = new SerialPortStream({
      binding,
      path: this.options.path,
      baudRate: this.baudRate_,
      dataBits: 8,
      parity: 'none',
      stopBits: 1,
      autoOpen: false,
    });
    await new Promise<void>((resolve, reject) => {
      stream.open((error) => {
        if (error) {
          reject(openFailed(this.options.path, error));
        } else {
          resolve();
        }
      });
    });
    this.stream = stream;
    this.events.opened();
    this.unplugged = false;
    // Errors also reach the write callbacks or the close event; without a listener they would crash the process.
    stream.on('error', () => undefined);
    const source = this.options.interByteTimeoutMs === undefined
      ? stream
      : stream.pipe(new InterByteTimeoutParser({ interval: this.options.interByteTimeoutMs }));
    source.on('data', (chunk: Buffer) => {
      this.events.data(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
    stream.on('close', (disconnect?: Error | null) => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.closing = undefined;
      let reason: Error | undefined;
      if (disconnect) {
        this.unplugged = true;
        reason = new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: this.options.path }, cause: disconnect });
      }
      this.events.closed(reason);
    });
  }

  async write(bytes: Uint8Array): Promise<void> {
    const stream = this.requireOpen();
    const chunk = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    try {
      await new Promise<void>((resolve, reject) => {
        stream.write(chunk, (error) => (error ? reject(error) : resolve()));
      });
      await new Promise<void>((resolve, reject) => {
        stream.drain((error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      throw this.failure(error);
    }
  }

  /** Switches the line speed of the open port after the bytes already written have left. */
  async setBaudRate(baudRate: number): Promise<void> {
    const rate = assertBaudRate(baudRate);
    const stream = this.requireOpen();
    try {
      await new Promise<void>((resolve, reject) => {
        stream.drain((error) => (error ? reject(error) : resolve()));
      });
      await new Promise<void>((resolve, reject) => {
        stream.update({ baudRate: rate }, (error) => (error ? reject(error) : resolve()));
      });
    } catch (error) {
      throw this.failure(error);
    }
    this.baudRate_ = rate;
  }

  onData(listener: DataListener): Unsubscribe {
    return this.events.onData(listener);
  }

  onClose(listener: CloseListener): Unsubscribe {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.closing ??= new Promise<void>((resolve) => {
      // A close error means the port is already gone; either way it is closed now.
      stream.close(() => resolve());
    });
    await this.closing;
  }

  private async resolveBinding(): Promise<BindingInterface> {
    const { binding } = this.options;
    if (binding === undefined) return loadSerialBinding();
    return typeof binding === 'function' ? binding() : binding;
  }

  private requireOpen(): SerialPortStream {
    const stream = this.stream;
    if (!stream?.isOpen) {
      throw notOpen(this.options.path, this.unplugged);
    }
    return stream;
  }

  private failure(error: unknown): GatewayError {
    if (isGatewayError(error)) return error;
    const path = this.options.path;
    if (this.unplugged) return new GatewayError('TRANSPORT_UNPLUGGED', { params: { path }, cause: error });
    if (!this.stream) return new GatewayError('TRANSPORT_CLOSED', { params: { path }, cause: error });
    return new GatewayError('TRANSPORT_IO_FAILED', { params: { path, detail: detailOf(error) }, cause: error });
  }
}
