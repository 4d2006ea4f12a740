import {
  PcscLibraryError,
  ScardCode,
  type PcscDisposition,
  type PcscLibrary,
  type PcscLibraryContext,
  type PcscLibraryListener,
  type PcscProtocol,
  type PcscReaderHandle,
  type PcscShareMode,
} from '../../../drivers/pcsc/PcscLibrary.js';

/** A card in a fake reader: answers APDUs and counts resets. */
export interface FakeCard {
  atr: Uint8Array;
  answer(apdu: Uint8Array): Uint8Array;
}

type Pending = { resolve: (value: Uint8Array) => void; reject: (error: unknown) => void };

class FakeReader implements PcscReaderHandle {
  card: FakeCard | undefined;
  /** Another program holds the card in this share mode. */
  heldByOther: PcscShareMode | undefined;
  /** Our one handle, as in the native module. */
  handle: { mode: PcscShareMode; protocol: PcscProtocol; cardAtConnect: FakeCard } | undefined;
  /** When set, the next transmit fails with this code. */
  failNextTransmit: number | undefined;
  /** When true, transmits stay pending until `releasePending`. */
  hold = false;
  pending: Pending[] = [];
  readonly calls: string[] = [];
  resets = 0;
  ended = false;

  constructor(
    readonly name: string,
    private readonly library: FakePcscLibrary,
  ) {}

  async connect(mode: PcscShareMode): Promise<PcscProtocol> {
    this.calls.push(`connect ${mode}`);
    this.library.checkService('SCardConnect');
    if (this.ended) throw new PcscLibraryError('SCardConnect', ScardCode.UNKNOWN_READER, 'Unknown reader specified.');
    if (this.handle) throw new PcscLibraryError('SCardConnect', 0, 'the reader handle is already connected');
    if (!this.card) throw new PcscLibraryError('SCardConnect', ScardCode.NO_SMARTCARD, 'No smart card inserted.');
    if (this.heldByOther === 'exclusive' || (this.heldByOther && mode === 'exclusive')) {
      throw new PcscLibraryError('SCardConnect', ScardCode.SHARING_VIOLATION, 'Sharing violation.');
    }
    this.handle = { mode, protocol: 'T1', cardAtConnect: this.card };
    return 'T1';
  }

  transmit(apdu: Uint8Array, protocol: PcscProtocol, maxResponse: number): Promise<Uint8Array> {
    this.calls.push(`transmit ${Buffer.from(apdu).toString('hex')} ${protocol} ${maxResponse}`);
    if (this.hold) {
      return new Promise((resolve, reject) => {
        this.pending.push({ resolve, reject });
        for (const waiter of this.pendingWaiters.splice(0)) waiter();
      });
    }
    return Promise.resolve().then(() => {
      this.library.checkService('SCardTransmit');
      const failure = this.failNextTransmit;
      this.failNextTransmit = undefined;
      if (failure !== undefined) throw new PcscLibraryError('SCardTransmit', failure, 'injected failure');
      if (!this.handle) throw new PcscLibraryError('SCardTransmit', ScardCode.INVALID_HANDLE, 'Invalid handle.');
      if (this.card !== this.handle.cardAtConnect) throw new PcscLibraryError('SCardTransmit', ScardCode.REMOVED_CARD, 'Card was removed.');
      return this.handle.cardAtConnect.answer(apdu);
    });
  }

  async disconnect(disposition: PcscDisposition): Promise<void> {
    this.calls.push(`disconnect ${disposition}`);
    this.library.checkService('SCardDisconnect');
    if (disposition === 'reset' && this.handle && this.card === this.handle.cardAtConnect) this.resets += 1;
    this.handle = undefined;
  }

  private readonly pendingWaiters: (() => void)[] = [];

  /** Resolves once a held transmit has reached the library. */
  whenPending(): Promise<void> {
    if (this.pending.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.pendingWaiters.push(resolve));
  }

  /** Finishes held transmits: with the card's answer, or with a PC/SC code. */
  releasePending(code?: number): void {
    const pending = this.pending;
    this.pending = [];
    for (const p of pending) {
      if (code !== undefined) p.reject(new PcscLibraryError('SCardTransmit', code, 'released with failure'));
      else p.resolve(this.handle!.cardAtConnect.answer(new Uint8Array([0, 0, 0, 0])));
    }
  }
}

/**
 * PcscLibrary in memory: readers plugged and unplugged, cards inserted and pulled, another
 * program holding a reader, pcscd dying. Events reach the driver on a later tick, as the native
 * module's watcher threads do.
 */
export class FakePcscLibrary implements PcscLibrary {
  readonly readers = new Map<string, FakeReader>();
  listener: PcscLibraryListener | undefined;
  serviceUp = true;
  startCount = 0;
  closed = false;
  /** When false, readers never report their first state (a stuck watcher). */
  reportStatus = true;

  start(listener: PcscLibraryListener): PcscLibraryContext {
    this.checkService('SCardEstablishContext');
    this.startCount += 1;
    this.listener = listener;
    this.later(() => {
      listener.readersListed([...this.readers.keys()]);
      for (const reader of this.readers.values()) this.reportState(reader);
    });
    return {
      reader: (name) => {
        const reader = this.readers.get(name);
        return reader && !reader.ended ? reader : undefined;
      },
      close: () => {
        this.closed = true;
      },
    };
  }

  checkService(operation: string): void {
    if (!this.serviceUp) throw new PcscLibraryError(operation, ScardCode.NO_SERVICE, 'Service not available.');
  }

  reader(name: string): FakeReader {
    const reader = this.readers.get(name);
    if (!reader) throw new RangeError(`no fake reader ${name}`);
    return reader;
  }

  plug(name: string): FakeReader {
    const reader = new FakeReader(name, this);
    this.readers.set(name, reader);
    this.later(() => {
      this.listener?.readersListed([...this.readers.keys()]);
      this.reportState(reader);
    });
    return reader;
  }

  unplug(name: string): void {
    const reader = this.reader(name);
    reader.ended = true;
    this.readers.delete(name);
    this.later(() => {
      this.listener?.readersListed([...this.readers.keys()]);
      this.listener?.readerEnded(name);
    });
  }

  insert(name: string, card: FakeCard): void {
    const reader = this.reader(name);
    reader.card = card;
    this.later(() => this.reportState(reader));
  }

  pull(name: string): void {
    const reader = this.reader(name);
    reader.card = undefined;
    this.later(() => this.reportState(reader));
  }

  /** pcscd dies: every call fails from now on, and the watcher says so. */
  killService(): void {
    this.serviceUp = false;
    this.later(() => this.listener?.failed(new PcscLibraryError('SCardGetStatusChange', ScardCode.COMM_ERROR, 'RPC transport error.')));
  }

  /** pcscd dies and, as happens with the native module, the readers' watchers notice before the context's. */
  killServiceReadersFirst(): void {
    this.serviceUp = false;
    this.later(() => {
      for (const name of this.readers.keys()) {
        this.listener?.readerFailed(name, new PcscLibraryError('SCardGetStatusChange', ScardCode.COMM_ERROR, 'RPC transport error.'));
        this.listener?.readerEnded(name);
      }
      this.listener?.failed(new PcscLibraryError('SCardGetStatusChange', ScardCode.COMM_ERROR, 'RPC transport error.'));
    });
  }

  private reportState(reader: FakeReader): void {
    if (!this.reportStatus || reader.ended) return;
    this.listener?.readerStatus(reader.name, {
      present: reader.card !== undefined,
      mute: reader.card !== undefined && reader.card.atr.length === 0,
      exclusive: reader.heldByOther === 'exclusive',
      atr: reader.card ? reader.card.atr : new Uint8Array(0),
    });
  }

  private later(action: () => void): void {
    setImmediate(action);
  }
}

/** A card that answers 9000 to anything, echoing the INS in its data. */
export function echoCard(atr = [0x3b, 0x02, 0x14, 0x50]): FakeCard {
  return { atr: Uint8Array.from(atr), answer: (apdu) => Uint8Array.from([apdu[1] ?? 0, 0x90, 0x00]) };
}
