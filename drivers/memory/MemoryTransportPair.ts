import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';

type DataListener = (chunk: Uint8Array) => void;
type CloseListener = (error?: Error) => void;

/** One end of an in-memory cable. Bytes written here arrive at the peer on a later tick, in order. */
class MemoryTransport implements ByteTransport {
  peer!: MemoryTransport;
  private open_ = false;
  private readonly dataListeners = new Set<DataListener>();
  private readonly closeListeners = new Set<CloseListener>();

  constructor(readonly description: TransportDescription) {}

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    this.open_ = true;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new Error(`memory transport ${this.description.path} is not open`);
    const copy = Uint8Array.from(bytes);
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer.open_) for (const listener of [...peer.dataListeners]) listener(copy);
    });
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
    this.shut();
  }

  /** Pulls the plug: both ends see the cable go, the peer with an error. */
  cut(): void {
    this.shut();
    this.peer.shut(new Error('link cut'));
  }

  private shut(error?: Error): void {
    if (!this.open_) return;
    this.open_ = false;
    for (const listener of [...this.closeListeners]) listener(error);
  }
}

export type { MemoryTransport };

/** Two connected in-memory transports: `host` for the gateway side, `device` for a simulator. */
export function createMemoryTransportPair(path = 'memory:0'): { host: MemoryTransport; device: MemoryTransport } {
  const host = new MemoryTransport({ kind: 'memory', path });
  const device = new MemoryTransport({ kind: 'memory', path: `${path}#device` });
  host.peer = device;
  device.peer = host;
  return { host, device };
}
