import type { ByteTransport, TransportDescription, Unsubscribe } from '../../contracts/ByteTransport.js';
import { GatewayError } from '../../contracts/errors/index.js';
import { TransportEvents, type CloseListener, type DataListener } from '../TransportEvents.js';

/**
 * One end of an in-memory cable. Bytes written here arrive at the peer on a later microtask, in
 * order, as a copy, if the peer is still open then; an empty write sends nothing.
 */
class MemoryTransport implements ByteTransport {
  peer!: MemoryTransport;
  private open_ = false;
  private readonly events = new TransportEvents();

  constructor(readonly description: TransportDescription) {}

  get isOpen(): boolean {
    return this.open_;
  }

  async open(): Promise<void> {
    if (this.open_) return;
    this.open_ = true;
    this.events.opened();
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (!this.open_) throw new GatewayError('TRANSPORT_CLOSED', { params: { path: this.description.path } });
    const copy = Uint8Array.from(bytes);
    const peer = this.peer;
    queueMicrotask(() => {
      if (peer.open_) peer.events.data(copy);
    });
  }

  onData(listener: DataListener): Unsubscribe {
    return this.events.onData(listener);
  }

  onClose(listener: CloseListener): Unsubscribe {
    return this.events.onClose(listener);
  }

  async close(): Promise<void> {
    this.shut();
  }

  /** Pulls the plug: both ends see the cable go, the peer with TRANSPORT_UNPLUGGED. */
  cut(): void {
    this.shut();
    this.peer.shut(new GatewayError('TRANSPORT_UNPLUGGED', { params: { path: this.peer.description.path } }));
  }

  private shut(error?: Error): void {
    this.open_ = false;
    this.events.closed(error);
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
