/**
 * The first seam of DESIGN.md: something that moves bytes to and from one register.
 * Serial, USB bulk, HID and the in-memory pair of the tests implement it. A transport
 * knows nothing of frames: it delivers bytes in whatever chunks the line gives them.
 */
export type TransportKind = 'serial' | 'usb' | 'hid' | 'memory';

export interface TransportDescription {
  readonly kind: TransportKind;
  /** Device path (`/dev/ttyUSB0`, `/dev/fiscal/reg-1`, `usb:1-2`, `hid:/dev/hidraw3`) or a test label. */
  readonly path: string;
  readonly vendorId?: number;
  readonly productId?: number;
  readonly serialNumber?: string;
  readonly manufacturer?: string;
  readonly product?: string;
}

export type Unsubscribe = () => void;

/**
 * A line whose speed the host sets: a serial port (and the simulator's end of a mock port). USB bulk,
 * HID and the in-memory pair have no line rate and leave `lineRate` out. Bulk-rate switching
 * (src/devices/bulkBaud.ts, GB link 71) uses this capability, never the shape of a transport.
 */
export interface LineRate {
  readonly baudRate: number;
  /** Switches the rate once the bytes already written have left. */
  setBaudRate(baudRate: number): Promise<void>;
}

export interface ByteTransport {
  readonly description: TransportDescription;
  readonly isOpen: boolean;
  open(): Promise<void>;
  /** Resolves when the bytes have been handed to the OS (serial: drained); an empty write sends nothing. */
  write(bytes: Uint8Array): Promise<void>;
  /** Every chunk read from the device, in order; never an empty one. */
  onData(listener: (chunk: Uint8Array) => void): Unsubscribe;
  /**
   * The device went away or the transport was closed, told once per open period; `error` is set when
   * it was not asked to close.
   */
  onClose(listener: (error?: Error) => void): Unsubscribe;
  /** Resolves once closed; a second call, or one while a close is under way, waits for that close. */
  close(): Promise<void>;
  /** Present when the host sets the line speed (serial). */
  readonly lineRate?: LineRate;
}
