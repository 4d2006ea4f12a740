import type { Unsubscribe } from '../contracts/ByteTransport.js';

export type DataListener = (chunk: Uint8Array) => void;
export type CloseListener = (error?: Error) => void;

/**
 * The listener side of a ByteTransport, kept by the transport as a field: `onData`/`onClose`
 * subscriptions, delivery to the listeners subscribed when it starts (one listener may unsubscribe
 * another), no empty chunks, and a close told once per open period.
 */
export class TransportEvents {
  private readonly dataListeners = new Set<DataListener>();
  private readonly closeListeners = new Set<CloseListener>();
  private closeOwed = false;

  onData(listener: DataListener): Unsubscribe {
    this.dataListeners.add(listener);
    return () => {
      this.dataListeners.delete(listener);
    };
  }

  onClose(listener: CloseListener): Unsubscribe {
    this.closeListeners.add(listener);
    return () => {
      this.closeListeners.delete(listener);
    };
  }

  /** The transport is open: its next close will be told. */
  opened(): void {
    this.closeOwed = true;
  }

  /** Bytes read from the device; an empty chunk is no data. */
  data(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    for (const listener of [...this.dataListeners]) listener(chunk);
  }

  /** Tells the close listeners, once since the last `opened()`; `error` when the transport was not asked to close. */
  closed(error?: Error): void {
    if (!this.closeOwed) return;
    this.closeOwed = false;
    for (const listener of [...this.closeListeners]) listener(error);
  }
}
