import type { ByteTransport, TransportDescription } from '../../../contracts/ByteTransport.js';

/** Something an enumerator saw: described, not opened. Discovery decides whether it may be opened. */
export interface PortCandidate {
  readonly description: TransportDescription;
  /** The device node behind the description's path (symlinks resolved), or the library's id for a USB device. */
  readonly node: string;
  /** Opens nothing yet: builds the transport, optionally under another name of the same node (a `/dev/fiscal/` link). */
  createTransport(path?: string): ByteTransport;
}

/** Lists one kind of device. Must not open or write to anything. */
export interface PortEnumerator {
  readonly name: string;
  list(): Promise<PortCandidate[]>;
}
