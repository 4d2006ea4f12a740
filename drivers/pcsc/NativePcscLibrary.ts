import { GatewayError } from '../../contracts/errors/index.js';
import {
  PcscLibraryError,
  type PcscDisposition,
  type PcscLibrary,
  type PcscLibraryContext,
  type PcscLibraryListener,
  type PcscProtocol,
  type PcscReaderHandle,
  type PcscShareMode,
} from './PcscLibrary.js';
import type { NativeCardReader, NativePcscContext, PcscliteFactory } from './pcscliteModule.js';

/** pcsclite formats its errors as `SCardTransmit error: Card was removed.(0x80100069)`. */
function toLibraryError(error: unknown, fallbackOperation: string): PcscLibraryError {
  const message = error instanceof Error ? error.message : String(error);
  const code = /\(0x([0-9a-f]{8})\)/i.exec(message);
  const operation = /^(SCard\w+) error/.exec(message)?.[1] ?? fallbackOperation;
  return new PcscLibraryError(operation, code ? Number.parseInt(code[1]!, 16) : 0, message);
}

/** `Name A\0Name B\0\0` → ['Name A', 'Name B']. */
export function parseReaderNames(multiString: Uint8Array): string[] {
  return Buffer.from(multiString).toString('utf8').split('\0').filter((name) => name.length > 0);
}

class NativeReaderHandle implements PcscReaderHandle {
  constructor(private readonly native: NativeCardReader) {}

  get name(): string {
    return this.native.name;
  }

  connect(mode: PcscShareMode): Promise<PcscProtocol> {
    const r = this.native;
    const options = {
      share_mode: mode === 'exclusive' ? r.SCARD_SHARE_EXCLUSIVE : r.SCARD_SHARE_SHARED,
      protocol: r.SCARD_PROTOCOL_T0 | r.SCARD_PROTOCOL_T1,
    };
    return new Promise((resolve, reject) => {
      r.connect(options, (error, protocol) => {
        if (error) return reject(toLibraryError(error, 'SCardConnect'));
        // The wrapper answers an empty callback when its one handle is already taken.
        if (protocol === undefined) return reject(new PcscLibraryError('SCardConnect', 0, 'the reader handle is already connected'));
        resolve(protocol === r.SCARD_PROTOCOL_T0 ? 'T0' : protocol === r.SCARD_PROTOCOL_T1 ? 'T1' : 'RAW');
      });
    });
  }

  transmit(apdu: Uint8Array, protocol: PcscProtocol, maxResponse: number): Promise<Uint8Array> {
    const r = this.native;
    const code = protocol === 'T0' ? r.SCARD_PROTOCOL_T0 : protocol === 'T1' ? r.SCARD_PROTOCOL_T1 : r.SCARD_PROTOCOL_RAW;
    return new Promise((resolve, reject) => {
      r.transmit(Buffer.from(apdu), maxResponse, code, (error, response) => {
        if (error) return reject(toLibraryError(error, 'SCardTransmit'));
        resolve(new Uint8Array(response));
      });
    });
  }

  disconnect(disposition: PcscDisposition): Promise<void> {
    const r = this.native;
    const code = disposition === 'reset' ? r.SCARD_RESET_CARD : disposition === 'unpower' ? r.SCARD_UNPOWER_CARD : r.SCARD_LEAVE_CARD;
    return new Promise((resolve, reject) => {
      r.disconnect(code, (error) => (error ? reject(toLibraryError(error, 'SCardDisconnect')) : resolve()));
    });
  }
}

class NativeContext implements PcscLibraryContext {
  private readonly handles = new Map<string, NativeReaderHandle>();
  private closed = false;

  constructor(
    private readonly native: NativePcscContext,
    private readonly listener: PcscLibraryListener,
  ) {
    // The module calls start() on the next tick and only reports readers it has not seen, so an
    // empty list or a removal would go unnoticed; wrapping start() hands the driver every listing.
    const start = native.start.bind(native);
    native.start = (callback) =>
      start((error, names) => {
        callback(error, names);
        if (!error && !this.closed) listener.readersListed(parseReaderNames(names));
      });
    native.on('reader', (reader) => this.adopt(reader));
    native.on('error', (error) => {
      // Closing cancels the watcher, which the module reports as an error: not news.
      if (!this.closed) listener.failed(toLibraryError(error, 'SCardGetStatusChange'));
    });
  }

  reader(name: string): PcscReaderHandle | undefined {
    return this.handles.get(name);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    // Never from inside a native callback: a reader's status callback runs holding that reader's
    // mutex, which its close() takes again, and the process would deadlock.
    setImmediate(() => {
      for (const reader of Object.values(this.native.readers)) reader.close();
      this.native.close();
    });
  }

  private adopt(reader: NativeCardReader): void {
    this.handles.set(reader.name, new NativeReaderHandle(reader));
    reader.on('status', ({ state, atr }) => {
      if (this.closed) return;
      this.listener.readerStatus(reader.name, {
        present: (state & reader.SCARD_STATE_PRESENT) !== 0,
        mute: (state & reader.SCARD_STATE_MUTE) !== 0,
        exclusive: (state & reader.SCARD_STATE_EXCLUSIVE) !== 0,
        atr: atr ? new Uint8Array(atr) : new Uint8Array(0),
      });
    });
    // A watcher error is always followed by 'end'; it arrives before or after the context's own 'error'.
    reader.on('error', (error) => {
      if (!this.closed) this.listener.readerFailed(reader.name, toLibraryError(error, 'SCardGetStatusChange'));
    });
    reader.on('end', () => {
      this.handles.delete(reader.name);
      if (!this.closed) this.listener.readerEnded(reader.name);
    });
  }
}

/** PcscLibrary over the native module. */
export class NativePcscLibrary implements PcscLibrary {
  constructor(private readonly factory: PcscliteFactory) {}

  start(listener: PcscLibraryListener): PcscLibraryContext {
    let native: NativePcscContext;
    try {
      native = this.factory();
    } catch (error) {
      throw toLibraryError(error, 'SCardEstablishContext');
    }
    return new NativeContext(native, listener);
  }
}

/**
 * Loads `pcsclite` on first use. It is an optional dependency with a native part that needs
 * libpcsclite: when either is missing the gateway runs without cards, so this never throws at
 * import time, only here, with SUBSYSTEM_UNAVAILABLE.
 */
export async function loadNativePcscLibrary(specifier = 'pcsclite'): Promise<PcscLibrary> {
  try {
    // A specifier in a variable keeps the type check independent of whether the optional module is installed.
    const module = (await import(specifier)) as { default?: PcscliteFactory };
    if (typeof module.default !== 'function') throw new TypeError('pcsclite exports no factory function');
    return new NativePcscLibrary(module.default);
  } catch (error) {
    throw new GatewayError('SUBSYSTEM_UNAVAILABLE', {
      params: { subsystem: 'PC/SC', detail: error instanceof Error ? error.message : String(error) },
      cause: error,
    });
  }
}
