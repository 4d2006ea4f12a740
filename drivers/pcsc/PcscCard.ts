import type { CardChannel, CardChannelDescription } from '../../contracts/CardChannel.js';
import { GatewayError } from '../../contracts/errors/index.js';
import { PcscLibraryError, ScardCode, type PcscDisposition, type PcscProtocol, type PcscReaderHandle, type PcscShareMode } from './PcscLibrary.js';

/** Largest response of an extended-length APDU: 65536 data bytes and SW1 SW2. */
const MAX_RESPONSE = 65538;
/** Largest command APDU: extended case 4, header 4 + Lc 3 + 65535 data bytes + Le 2. */
const MAX_COMMAND = 4 + 3 + 65535 + 2;

/** What a connected card needs from the PcscReaders that made it. */
export interface PcscCardHost {
  /** Turns a library failure into a GatewayError, looking at the reader's state when the library cannot tell. */
  explain(reader: string, failure: unknown): Promise<GatewayError>;
  /** The ATR the reader reports now (empty when it reports none). */
  atrOf(reader: string): Uint8Array;
  /** The card gave its handle back; the reader may be connected again. */
  released(card: PcscCard): void;
}

export interface PcscCardOptions {
  /** How long one APDU may take before the card is given up as lost. */
  readonly transmitTimeoutMs: number;
}

/** Errors after which the handle is worthless: the card must be connected again. */
const fatal = new Set(['CARD_REMOVED', 'READER_GONE', 'PCSC_UNAVAILABLE', 'TIMEOUT']);

/**
 * One card connected through a PC/SC reader: a `CardChannel` with raw transmit (61xx/6Cxx are
 * protocols/apdu's business). Calls are run one at a time, in order. Once the card is removed,
 * its reader is gone or an APDU timed out, every call fails with that reason.
 */
export class PcscCard implements CardChannel {
  readonly description: CardChannelDescription;
  private queue: Promise<unknown> = Promise.resolve();
  private lost: GatewayError | undefined;
  private connected = true;
  private releasing: Promise<void> | undefined;
  private atr_: Uint8Array;

  constructor(
    private readonly host: PcscCardHost,
    private readonly handle: PcscReaderHandle,
    readonly mode: PcscShareMode,
    private protocol_: PcscProtocol,
    atr: Uint8Array,
    private readonly options: PcscCardOptions,
  ) {
    this.description = { kind: 'pcsc', reader: handle.name };
    this.atr_ = Uint8Array.from(atr);
  }

  get reader(): string {
    return this.handle.name;
  }

  get atr(): Uint8Array {
    return Uint8Array.from(this.atr_);
  }

  get protocol(): PcscProtocol {
    return this.protocol_;
  }

  /** True until disconnected or lost. */
  get isConnected(): boolean {
    return this.connected && this.lost === undefined;
  }

  transmit(apdu: Uint8Array): Promise<Uint8Array> {
    if (apdu.length < 4 || apdu.length > MAX_COMMAND) {
      return Promise.reject(new GatewayError('BAD_REQUEST', { params: { detail: `a command APDU has 4 to ${MAX_COMMAND} bytes, not ${apdu.length}` } }));
    }
    const command = Uint8Array.from(apdu);
    return this.serially(async () => {
      this.ensureUsable();
      try {
        const response = await this.withTimeout(this.handle.transmit(command, this.protocol_, MAX_RESPONSE));
        // vpcd reports success with no bytes when the card's socket closes mid-APDU: as ambiguous as NOT_TRANSACTED.
        if (response.length < 2) {
          throw new PcscLibraryError('SCardTransmit', ScardCode.NOT_TRANSACTED, `a response of ${response.length} bytes has no status word`);
        }
        return response;
      } catch (failure) {
        throw await this.fail(failure);
      }
    });
  }

  /** Warm reset (SCARD_RESET_CARD, then a new handle in the same share mode); resolves with the ATR. */
  reset(): Promise<Uint8Array> {
    return this.serially(async () => {
      this.ensureUsable();
      try {
        await this.handle.disconnect('reset');
        this.connected = false;
        this.protocol_ = await this.handle.connect(this.mode);
        this.connected = true;
      } catch (failure) {
        throw await this.fail(failure);
      }
      const atr = this.host.atrOf(this.reader);
      if (atr.length > 0) this.atr_ = Uint8Array.from(atr);
      return this.atr;
    });
  }

  /** Gives the card back to the reader; idempotent, and safe after the card was lost. */
  disconnect(disposition: PcscDisposition = 'leave'): Promise<void> {
    return this.serially(() => this.release(disposition));
  }

  /** Called by PcscReaders when the card, its reader or the service goes. */
  lose(reason: GatewayError): void {
    this.lost ??= reason;
    void this.serially(() => this.release('leave'));
  }

  private async fail(failure: unknown): Promise<GatewayError> {
    const error = this.lost ?? (await this.host.explain(this.reader, failure));
    if (fatal.has(error.code)) this.lose(error);
    else if (!this.connected) this.lose(error); // a failed reset leaves no handle behind
    return error;
  }

  private ensureUsable(): void {
    if (this.lost) throw new GatewayError(this.lost.code, { params: this.lost.params, data: this.lost.data, cause: this.lost });
    if (!this.connected || this.releasing) throw new GatewayError('CARD_DISCONNECTED', { params: { reader: this.reader } });
  }

  private release(disposition: PcscDisposition): Promise<void> {
    this.releasing ??= (async () => {
      // The native module keeps one handle per reader and will not connect again until it is released,
      // so this runs even when the card is already gone; its errors then say nothing new.
      try {
        if (this.connected) {
          const disconnecting = this.handle.disconnect(this.lost ? 'leave' : disposition);
          // After a timed-out APDU the native call may never return: do not wait on it for ever.
          await (this.lost ? this.withTimeout(disconnecting) : disconnecting);
        }
      } catch {
        // The handle is dead either way.
      } finally {
        this.connected = false;
        this.host.released(this);
      }
    })();
    return this.releasing;
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation, operation);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private withTimeout<T>(pending: Promise<T>): Promise<T> {
    const ms = this.options.transmitTimeoutMs;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new GatewayError('TIMEOUT', { params: { what: `the card in reader "${this.reader}"` }, data: { reader: this.reader, ms } }));
      }, ms);
      pending.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
  }
}
