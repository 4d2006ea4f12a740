/**
 * The part of the `pcsclite` npm module (1.0.x) this driver uses, typed by hand. The module's own
 * index.d.ts leaves out `start` and `readers`, which NativePcscLibrary relies on, and the driver
 * must type-check on machines where the optional module is not installed at all.
 */
type Callback<T> = (error: Error | null | undefined, value: T) => void;

export interface NativeReaderStatus {
  readonly state: number;
  readonly atr?: Buffer;
}

export interface NativeCardReader {
  readonly name: string;
  /** The wrapper's own flag; `connect` silently does nothing while it is true. */
  readonly connected: boolean;
  readonly SCARD_SHARE_SHARED: number;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_PROTOCOL_T1: number;
  readonly SCARD_PROTOCOL_RAW: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  readonly SCARD_STATE_EXCLUSIVE: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_UNPOWER_CARD: number;
  on(event: 'status', listener: (status: NativeReaderStatus) => void): this;
  on(event: 'end', listener: () => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  connect(options: { share_mode: number; protocol: number }, callback: Callback<number | undefined>): void;
  transmit(data: Buffer, responseLength: number, protocol: number, callback: Callback<Buffer>): void;
  disconnect(disposition: number, callback: (error: Error | null | undefined) => void): void;
  close(): void;
}

export interface NativePcscContext {
  /** Called once by the module on the next tick; its callback gets the NUL-separated reader list. */
  start(callback: Callback<Buffer>): void;
  readonly readers: Record<string, NativeCardReader>;
  on(event: 'reader', listener: (reader: NativeCardReader) => void): this;
  on(event: 'error', listener: (error: Error) => void): this;
  close(): void;
}

export type PcscliteFactory = () => NativePcscContext;
