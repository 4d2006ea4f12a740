import { isGatewayError } from '../../contracts/errors/index.js';
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
} from '../../drivers/pcsc/PcscLibrary.js';
import type { VirtualCardChannel } from '../../fixtures/cards/VirtualCardChannel.js';

/** One simulated reader: its PC/SC name and the channel to the virtual card it holds (or not). */
export interface VirtualReader {
  readonly name: string;
  readonly channel: VirtualCardChannel;
}

/** A reader handle over a VirtualCardChannel: one connection at a time, as the native module keeps it. */
class VirtualReaderHandle implements PcscReaderHandle {
  private connected = false;

  constructor(private readonly reader: VirtualReader) {}

  get name(): string {
    return this.reader.name;
  }

  async connect(_mode: PcscShareMode): Promise<PcscProtocol> {
    if (this.connected) throw new PcscLibraryError('SCardConnect', ScardCode.SHARING_VIOLATION, 'the reader handle is already connected');
    if (!this.reader.channel.present) throw new PcscLibraryError('SCardConnect', ScardCode.NO_SMARTCARD, 'No smart card inserted.');
    await this.reader.channel.reset();
    this.connected = true;
    // A virtual card answers T=0 behaviour (61xx, 6Cxx) from its own personalization; the wire protocol is moot.
    return 'T1';
  }

  async transmit(apdu: Uint8Array, _protocol: PcscProtocol, maxResponse: number): Promise<Uint8Array> {
    if (!this.connected) throw new PcscLibraryError('SCardTransmit', ScardCode.INVALID_HANDLE, 'Invalid handle.');
    let response: Uint8Array;
    try {
      response = await this.reader.channel.transmit(apdu);
    } catch (error) {
      if (isGatewayError(error) && error.code === 'CARD_REMOVED') throw new PcscLibraryError('SCardTransmit', ScardCode.REMOVED_CARD, 'Card was removed.');
      throw error;
    }
    if (response.length > maxResponse) throw new PcscLibraryError('SCardTransmit', ScardCode.COMM_ERROR, `a response of ${response.length} bytes exceeds the buffer`);
    return response;
  }

  async disconnect(disposition: PcscDisposition): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    if (disposition !== 'leave' && this.reader.channel.present) await this.reader.channel.reset();
  }
}

/**
 * The PC/SC library seam (drivers/pcsc) over simulated readers holding virtual cards: `PcscReaders.open({ library })`
 * on it gives the daemon the same PcscReaders, reader directory and card reading it uses with pcscd, on a machine
 * with no reader at all (`fiscald --simulate`). Events reach the driver on a later tick, as from the native watcher.
 */
export class VirtualPcscLibrary implements PcscLibrary {
  private readonly handles: ReadonlyMap<string, VirtualReaderHandle>;

  constructor(readonly readers: readonly VirtualReader[]) {
    this.handles = new Map(readers.map((reader) => [reader.name, new VirtualReaderHandle(reader)]));
  }

  start(listener: PcscLibraryListener): PcscLibraryContext {
    let closed = false;
    setImmediate(() => {
      if (closed) return;
      listener.readersListed(this.readers.map((reader) => reader.name));
      for (const reader of this.readers) {
        const card = reader.channel.card;
        listener.readerStatus(reader.name, {
          present: card !== undefined, mute: false, exclusive: false, atr: card === undefined ? new Uint8Array(0) : Uint8Array.from(card.atr),
        });
      }
    });
    return {
      reader: (name) => (closed ? undefined : this.handles.get(name)),
      close: () => {
        closed = true;
      },
    };
  }
}
