/**
 * The thin seam between the PC/SC driver and the native `pcsclite` module, in the spirit of
 * serialport's binding interface: the driver (PcscReaders, PcscCard) holds all the logic and is
 * unit-tested against a fake; `NativePcscLibrary` only turns callbacks into promises and flags
 * into plain values.
 */
export type PcscShareMode = 'shared' | 'exclusive';
export type PcscProtocol = 'T0' | 'T1' | 'RAW';
/** What happens to the card when a handle is released (SCARD_LEAVE_CARD, _RESET_CARD, _UNPOWER_CARD). */
export type PcscDisposition = 'leave' | 'reset' | 'unpower';

/** One reading of a reader's state (SCardGetStatusChange), flags already decoded. */
export interface PcscReaderStatus {
  readonly present: boolean;
  /** A card is in but gives no ATR. */
  readonly mute: boolean;
  /** Another handle holds the card exclusively. */
  readonly exclusive: boolean;
  readonly atr: Uint8Array;
}

/** Well-known PC/SC return codes (pcsc-lite's pcsclite.h). */
export const ScardCode = {
  CANCELLED: 0x80100002,
  INVALID_HANDLE: 0x80100003,
  UNKNOWN_READER: 0x80100009,
  TIMEOUT: 0x8010000a,
  SHARING_VIOLATION: 0x8010000b,
  NO_SMARTCARD: 0x8010000c,
  PROTO_MISMATCH: 0x8010000f,
  NOT_READY: 0x80100010,
  COMM_ERROR: 0x80100013,
  NOT_TRANSACTED: 0x80100016,
  READER_UNAVAILABLE: 0x80100017,
  NO_SERVICE: 0x8010001d,
  SERVICE_STOPPED: 0x8010001e,
  NO_READERS_AVAILABLE: 0x8010002e,
  UNSUPPORTED_CARD: 0x80100065,
  UNRESPONSIVE_CARD: 0x80100066,
  UNPOWERED_CARD: 0x80100067,
  RESET_CARD: 0x80100068,
  REMOVED_CARD: 0x80100069,
} as const;

/**
 * A failure reported by the PC/SC library: which call, and its SCARD return code (0 when the
 * library gave none). It never leaves drivers/pcsc: the driver turns it into a GatewayError.
 */
export class PcscLibraryError extends Error {
  constructor(
    readonly operation: string,
    readonly scard: number,
    detail: string,
  ) {
    super(detail);
    this.name = 'PcscLibraryError';
  }
}

/** A reader as the library exposes it: one card handle at a time. */
export interface PcscReaderHandle {
  readonly name: string;
  connect(mode: PcscShareMode): Promise<PcscProtocol>;
  /** Raw SCardTransmit; `maxResponse` is the size of the receive buffer. */
  transmit(apdu: Uint8Array, protocol: PcscProtocol, maxResponse: number): Promise<Uint8Array>;
  disconnect(disposition: PcscDisposition): Promise<void>;
}

/** What the library tells the driver, from its watcher threads. */
export interface PcscLibraryListener {
  /** The full list of reader names, each time it changes (and once at start). */
  readersListed(names: readonly string[]): void;
  readerStatus(name: string, status: PcscReaderStatus): void;
  /** The watcher of this reader failed; `readerEnded` follows. Says why, e.g. that pcscd went away. */
  readerFailed(name: string, error: PcscLibraryError): void;
  /** The library stopped watching this reader (it was unplugged, or its watcher failed). */
  readerEnded(name: string): void;
  /** The service went away (pcscd stopped): no more events will come from this context. */
  failed(error: PcscLibraryError): void;
}

export interface PcscLibraryContext {
  reader(name: string): PcscReaderHandle | undefined;
  /** Stops every watcher (the native part on a later tick); idempotent; no event is reported after it. */
  close(): void;
}

export interface PcscLibrary {
  /** Establishes a context and starts watching. Throws PcscLibraryError when the service cannot be reached. */
  start(listener: PcscLibraryListener): PcscLibraryContext;
}
