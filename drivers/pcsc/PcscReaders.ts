import type { Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError } from '../../contracts/errors/index.js';
import { PcscCard } from './PcscCard.js';
import {
  PcscLibraryError,
  ScardCode,
  type PcscLibrary,
  type PcscLibraryContext,
  type PcscLibraryListener,
  type PcscReaderStatus,
  type PcscShareMode,
} from './PcscLibrary.js';
import { loadNativePcscLibrary } from './NativePcscLibrary.js';
import { readerErrorFor } from './readerErrorFor.js';

export type CardState = 'present' | 'absent' | 'mute' | 'unknown';

/** A reader as `GET /v1/readers` shows it: plain and JSON-safe. */
export interface ReaderInfo {
  readonly name: string;
  readonly card: CardState;
  /** ATR of the card in it, upper-case hex, when there is one. */
  readonly atrHex?: string;
  /** Another program holds the card exclusively. */
  readonly exclusive: boolean;
  /** This gateway has a card handle open on it. */
  readonly connected: boolean;
}

export type PcscEvent =
  | { readonly type: 'reader-added'; readonly reader: string }
  | { readonly type: 'reader-removed'; readonly reader: string }
  | { readonly type: 'card-inserted'; readonly reader: string; readonly atr: Uint8Array }
  | { readonly type: 'card-removed'; readonly reader: string }
  /** pcscd went away: this PcscReaders is finished; open a new one when the service is back. */
  | { readonly type: 'unavailable'; readonly error: GatewayError };

/** The few pino methods the driver uses; pass `createLogger()` or a child of it. */
export interface PcscLogger {
  debug(object: object, message: string): void;
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
}

export interface PcscReadersOptions {
  /** The PC/SC library; by default the native `pcsclite`, loaded on first use. */
  readonly library?: PcscLibrary;
  readonly logger?: PcscLogger;
  /** How long `open` waits for the first reader list and each reader's first state. Default 3000. */
  readonly startupTimeoutMs?: number;
  /**
   * How long to wait for the reader's state to settle when the library cannot say why an exchange
   * failed (pcscd polls vpcd and many readers a few times a second). Default 1500.
   */
  readonly settleMs?: number;
  /** How long one APDU may take. Default 30000: signing commands on old cards take seconds. */
  readonly transmitTimeoutMs?: number;
}

interface ReaderEntry {
  readonly name: string;
  status: PcscReaderStatus | undefined;
  card: PcscCard | undefined;
  /** Set while `connect` runs, so a second one fails fast instead of racing the native handle. */
  connecting: boolean;
}

type Waiter = () => void;

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex').toUpperCase();
}

/**
 * The PC/SC readers of this machine: their list, hot-plug and card events, and connections to
 * the cards in them. One instance holds one PC/SC context; when pcscd goes away it emits
 * `unavailable` and is finished.
 */
export class PcscReaders {
  private readonly readers = new Map<string, ReaderEntry>();
  private readonly listeners = new Set<(event: PcscEvent) => void>();
  private readonly waiters = new Set<Waiter>();
  private context: PcscLibraryContext | undefined;
  private listed = false;
  private failure: GatewayError | undefined;
  private closed = false;
  private readonly settleMs: number;
  private readonly transmitTimeoutMs: number;

  private constructor(private readonly options: PcscReadersOptions) {
    this.settleMs = options.settleMs ?? 1500;
    this.transmitTimeoutMs = options.transmitTimeoutMs ?? 30_000;
  }

  /**
   * Connects to the PC/SC service and learns the readers and their cards.
   * Throws SUBSYSTEM_UNAVAILABLE (no pcsclite or libpcsclite) or PCSC_UNAVAILABLE (no pcscd).
   */
  static async open(options: PcscReadersOptions = {}): Promise<PcscReaders> {
    const library = options.library ?? (await loadNativePcscLibrary());
    const readers = new PcscReaders(options);
    try {
      readers.context = library.start(readers.libraryListener());
    } catch (failure) {
      throw readerErrorFor(failure instanceof PcscLibraryError ? failure : new PcscLibraryError('SCardEstablishContext', ScardCode.NO_SERVICE, String(failure)), '');
    }
    const startup = options.startupTimeoutMs ?? 3000;
    const settled = await readers.until(() => readers.listed && [...readers.readers.values()].every((r) => r.status), startup);
    if (readers.failure) {
      await readers.close();
      throw readers.failure;
    }
    if (!readers.listed) {
      await readers.close();
      throw new GatewayError('PCSC_UNAVAILABLE', { params: { detail: `no reader list within ${startup} ms` } });
    }
    if (!settled) options.logger?.warn({ readers: readers.list() }, 'some readers did not report their state in time');
    options.logger?.info({ readers: readers.list().map((r) => r.name) }, 'PC/SC readers');
    return readers;
  }

  /** False once pcscd has gone away or `close` was called. */
  get available(): boolean {
    return this.failure === undefined && !this.closed;
  }

  list(): ReaderInfo[] {
    return [...this.readers.values()].map((entry) => this.info(entry));
  }

  onEvent(listener: (event: PcscEvent) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Connects to the card in `reader`. Shared lets other programs use the card between our
   * APDUs; exclusive keeps them out for as long as the card stays connected.
   */
  async connect(reader: string, options: { mode?: PcscShareMode } = {}): Promise<PcscCard> {
    const mode = options.mode ?? 'shared';
    this.ensureAvailable();
    const entry = this.readers.get(reader);
    const handle = this.context?.reader(reader);
    if (!entry || !handle) throw new GatewayError('READER_NOT_FOUND', { params: { reader }, data: { readers: [...this.readers.keys()] } });
    if (entry.card || entry.connecting) {
      throw new GatewayError('READER_BUSY', { params: { reader }, data: { reader, holder: 'fiscal-gateway' } });
    }
    entry.connecting = true;
    try {
      let protocol;
      try {
        protocol = await handle.connect(mode);
      } catch (failure) {
        throw await this.explain(reader, failure);
      }
      // A fresh connection can beat the reader's own status event: give it a moment to bring the ATR.
      if (!entry.status?.present) await this.until(() => entry.status?.present === true || !this.readers.has(reader), this.settleMs);
      const card = new PcscCard(this.cardHost(), handle, mode, protocol, entry.status?.atr ?? new Uint8Array(0), {
        transmitTimeoutMs: this.transmitTimeoutMs,
      });
      entry.card = card;
      this.options.logger?.info({ reader, mode, protocol, atr: toHex(card.atr) }, 'card connected');
      return card;
    } finally {
      entry.connecting = false;
    }
  }

  /** Resolves when `reader` is listed; TIMEOUT after `timeoutMs`. */
  async waitForReader(reader: string, timeoutMs: number): Promise<ReaderInfo> {
    await this.waitOrThrow(() => this.readers.has(reader), timeoutMs, `reader "${reader}"`);
    return this.info(this.readers.get(reader)!);
  }

  /** Resolves when a card is in `reader`; TIMEOUT after `timeoutMs`. */
  async waitForCard(reader: string, timeoutMs: number): Promise<ReaderInfo> {
    await this.waitOrThrow(() => this.readers.get(reader)?.status?.present === true, timeoutMs, `a card in reader "${reader}"`);
    return this.info(this.readers.get(reader)!);
  }

  /** Resolves when `reader` is empty or gone; TIMEOUT after `timeoutMs`. */
  async waitForNoCard(reader: string, timeoutMs: number): Promise<void> {
    await this.waitOrThrow(() => this.readers.get(reader)?.status?.present !== true, timeoutMs, `the card to leave reader "${reader}"`);
  }

  /** Disconnects every card this instance connected and stops watching; idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.readers.values()].map((entry) => entry.card?.disconnect()));
    this.context?.close();
    this.wake();
  }

  private info(entry: ReaderEntry): ReaderInfo {
    const status = entry.status;
    const card: CardState = !status ? 'unknown' : !status.present ? 'absent' : status.mute ? 'mute' : 'present';
    return {
      name: entry.name,
      card,
      ...(status?.present && status.atr.length > 0 ? { atrHex: toHex(status.atr) } : {}),
      exclusive: status?.exclusive ?? false,
      connected: entry.card !== undefined,
    };
  }

  private ensureAvailable(): void {
    if (this.failure) throw new GatewayError(this.failure.code, { params: this.failure.params, data: this.failure.data, cause: this.failure });
    if (this.closed) throw new GatewayError('PCSC_UNAVAILABLE', { params: { detail: 'the reader watcher was closed' } });
  }

  private emit(event: PcscEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.options.logger?.warn({ err: error, event: event.type }, 'a PC/SC event listener threw');
      }
    }
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Resolves true as soon as `condition` holds (checked after every library event), false after `ms`. */
  private until(condition: () => boolean, ms: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const check = () => {
        if (condition()) finish(true);
        else if (this.failure || this.closed) finish(false);
      };
      const timer = setTimeout(() => finish(false), ms);
      this.waiters.add(check);
    });
  }

  private async waitOrThrow(condition: () => boolean, ms: number, what: string): Promise<void> {
    this.ensureAvailable();
    if (await this.until(condition, ms)) return;
    this.ensureAvailable();
    throw new GatewayError('TIMEOUT', { params: { what }, data: { ms } });
  }

  /**
   * A failed exchange the library cannot explain (SCARD_E_NOT_TRANSACTED: vpcd says this when the
   * card goes mid-APDU) is settled from what the reader reports next: card gone, reader gone,
   * service gone, or else a plain transaction failure.
   */
  private async explain(reader: string, failure: unknown): Promise<GatewayError> {
    if (!(failure instanceof PcscLibraryError) || failure.scard !== ScardCode.NOT_TRANSACTED) return readerErrorFor(failure, reader);
    const present = () => this.readers.get(reader)?.status?.present === true;
    await this.until(() => !present(), this.settleMs);
    if (this.failure) return this.failure;
    if (!this.readers.has(reader)) return new GatewayError('READER_GONE', { params: { reader }, data: { reader }, cause: failure });
    if (!present()) return new GatewayError('CARD_REMOVED', { params: { reader }, data: { reader }, cause: failure });
    return readerErrorFor(failure, reader);
  }

  private cardHost() {
    return {
      explain: (reader: string, failure: unknown) => this.explain(reader, failure),
      atrOf: (reader: string) => this.readers.get(reader)?.status?.atr ?? new Uint8Array(0),
      released: (card: PcscCard) => {
        const entry = this.readers.get(card.reader);
        if (entry?.card === card) entry.card = undefined;
        this.options.logger?.debug({ reader: card.reader }, 'card released');
      },
    };
  }

  private libraryListener(): PcscLibraryListener {
    return {
      readersListed: (names) => {
        this.listed = true;
        for (const name of names) this.addReader(name);
        for (const name of [...this.readers.keys()]) if (!names.includes(name)) this.removeReader(name);
        this.wake();
      },
      readerStatus: (name, status) => {
        const entry = this.addReader(name);
        const before = entry.status?.present ?? false;
        entry.status = status;
        if (status.present && !before) {
          this.options.logger?.info({ reader: name, atr: toHex(status.atr) }, 'card inserted');
          this.emit({ type: 'card-inserted', reader: name, atr: Uint8Array.from(status.atr) });
        } else if (!status.present && before) {
          this.options.logger?.info({ reader: name }, 'card removed');
          entry.card?.lose(new GatewayError('CARD_REMOVED', { params: { reader: name }, data: { reader: name } }));
          this.emit({ type: 'card-removed', reader: name });
        }
        this.wake();
      },
      readerFailed: (name, failure) => {
        // When pcscd dies, each reader's watcher may notice before the context's does: that is the
        // service going, not the reader, and the card must hear PCSC_UNAVAILABLE, not READER_GONE.
        if (readerErrorFor(failure, name).code === 'PCSC_UNAVAILABLE') this.serviceLost(failure);
      },
      readerEnded: (name) => {
        this.removeReader(name);
        this.wake();
      },
      failed: (failure) => this.serviceLost(failure),
    };
  }

  private serviceLost(failure: PcscLibraryError): void {
    if (this.failure) return;
    const error = readerErrorFor(failure, '');
    this.failure = error.code === 'PCSC_UNAVAILABLE' ? error : new GatewayError('PCSC_UNAVAILABLE', { params: { detail: failure.message }, cause: failure });
    this.options.logger?.warn({ detail: failure.message }, 'PC/SC service lost');
    for (const entry of this.readers.values()) entry.card?.lose(this.failure);
    for (const name of [...this.readers.keys()]) this.removeReader(name);
    this.context?.close();
    this.emit({ type: 'unavailable', error: this.failure });
    this.wake();
  }

  private addReader(name: string): ReaderEntry {
    let entry = this.readers.get(name);
    if (!entry) {
      entry = { name, status: undefined, card: undefined, connecting: false };
      this.readers.set(name, entry);
      this.options.logger?.info({ reader: name }, 'reader added');
      this.emit({ type: 'reader-added', reader: name });
    }
    return entry;
  }

  private removeReader(name: string): void {
    const entry = this.readers.get(name);
    if (!entry) return;
    this.readers.delete(name);
    entry.card?.lose(new GatewayError('READER_GONE', { params: { reader: name }, data: { reader: name } }));
    this.options.logger?.info({ reader: name }, 'reader removed');
    this.emit({ type: 'reader-removed', reader: name });
  }
}
