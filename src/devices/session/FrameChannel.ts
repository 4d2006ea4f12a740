import type { ByteTransport, Unsubscribe } from '../../../contracts/ByteTransport.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import { FrameDecoder, type Frame } from '../../../protocols/gb-link/index.js';
import { HOST_WINDOW } from '../../../protocols/gb-link/window.js';

interface Waiter {
  resolve(frame: Frame | undefined): void;
  reject(error: GatewayError): void;
  timer: NodeJS.Timeout;
}

/**
 * The host end of the wire: bytes out, frames in. Owns the decoder and the inter-byte gap
 * timer (a partial frame followed by silence is dropped, SPEC.md §2.4), and hands frames to the
 * one exchange that is waiting for them.
 */
export class FrameChannel {
  private readonly decoder = new FrameDecoder('to-host');
  private queue: Frame[] = [];
  private waiter: Waiter | undefined;
  private gapTimer: NodeJS.Timeout | undefined;
  private closedBy: GatewayError | undefined;
  private lastByteAt = 0;
  private posted: Promise<void> = Promise.resolve();
  private readonly unsubscribe: Unsubscribe[] = [];
  bytesIn = 0;
  bytesOut = 0;
  /** Bytes this host sent again: command packets re-sent and repeated NP asks. */
  resentBytes = 0;
  /**
   * Window for bulk transfers on this link (SPEC.md §10): 0 until the register's 70 answer lists
   * 74, then `windowLimit`. Learned once per connection, as the channel lives as long as it.
   */
  transferWindow = 0;
  /**
   * The register's 70 says protocol version 2 or later (SPEC.md §10.1): multi-packet windowed commands go in
   * the counted form, their window open at once. Learned with `transferWindow`.
   */
  countedCommands = false;
  /** A windowed command of several packets was given up before its answer: the register may hold part of it (§10.4). */
  windowedPartial = false;
  /** Largest window this host uses; 0 or 1 keeps stop-and-wait even with a register that offers 74. */
  windowLimit = HOST_WINDOW;

  constructor(private readonly transport: ByteTransport, private readonly interByteGapMs: number) {
    this.unsubscribe.push(
      transport.onData((chunk) => this.receive(chunk)),
      transport.onClose((error) => this.shut(new GatewayError('LINK_CLOSED', error === undefined ? {} : { cause: error }))),
    );
  }

  get closed(): boolean {
    return this.closedBy !== undefined;
  }

  /** Bytes the decoder has thrown away so far; a rise during an exchange means a reply was mangled. */
  get discardedBytes(): number {
    return this.decoder.stats.discardedBytes;
  }

  private receive(chunk: Uint8Array): void {
    this.bytesIn += chunk.length;
    this.lastByteAt = Date.now();
    if (this.gapTimer !== undefined) clearTimeout(this.gapTimer);
    this.deliver(this.decoder.push(chunk));
    if (this.decoder.pending > 0) {
      this.gapTimer = setTimeout(() => {
        this.gapTimer = undefined;
        this.deliver(this.decoder.idle());
      }, this.interByteGapMs);
    }
  }

  private deliver(frames: Frame[]): void {
    for (const frame of frames) {
      const waiter = this.waiter;
      if (waiter !== undefined) {
        this.waiter = undefined;
        clearTimeout(waiter.timer);
        waiter.resolve(frame);
      } else {
        this.queue.push(frame);
      }
    }
  }

  /** Frames received and not taken yet. */
  get queued(): number {
    return this.queue.length;
  }

  /** Drops frames and partial bytes left over from an earlier exchange. */
  clear(): void {
    this.queue = [];
    if (this.gapTimer !== undefined) clearTimeout(this.gapTimer);
    this.gapTimer = undefined;
    this.decoder.reset();
  }

  async send(bytes: Uint8Array): Promise<void> {
    await this.posted;
    if (this.closedBy !== undefined) throw this.closedBy;
    try {
      await this.transport.write(bytes);
    } catch (error) {
      throw new GatewayError('LINK_CLOSED', { cause: error });
    }
    this.bytesOut += bytes.length;
  }

  /**
   * Sends `bytes` after anything posted before, without waiting for the transport to take them:
   * the windowed receiver acknowledges while the next packets keep arriving (a serial write waits
   * for the bytes to drain). A failed write closes the channel; `send` and `next` then reject.
   */
  post(bytes: Uint8Array): void {
    if (this.closedBy !== undefined) return;
    this.bytesOut += bytes.length;
    this.posted = this.posted
      .then(() => this.transport.write(bytes))
      .catch((error: unknown) => this.shut(new GatewayError('LINK_CLOSED', { cause: error })));
  }

  /** The next frame, or undefined when none came within `timeoutMs`. Rejects with LINK_CLOSED. */
  next(timeoutMs: number): Promise<Frame | undefined> {
    if (this.closedBy !== undefined) return Promise.reject(this.closedBy);
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        resolve(undefined);
      }, timeoutMs);
      this.waiter = { resolve, reject, timer };
    });
  }

  /**
   * Resolves once no byte has arrived for `quietMs` (at most `limitMs` in all), then forgets
   * everything received: used before reading state back after a lost reply, so that a late
   * reply to the lost command cannot be taken for the answer to the read.
   */
  async settle(quietMs: number, limitMs: number): Promise<void> {
    const started = Date.now();
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, quietMs));
      if (this.closedBy !== undefined) throw this.closedBy;
      if (Date.now() - this.lastByteAt >= quietMs || Date.now() - started >= limitMs) break;
    }
    this.clear();
  }

  private shut(error: GatewayError): void {
    if (this.closedBy !== undefined) return;
    this.closedBy = error;
    if (this.gapTimer !== undefined) clearTimeout(this.gapTimer);
    const waiter = this.waiter;
    this.waiter = undefined;
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      waiter.reject(error);
    }
  }

  /** Stops listening to the transport; pending and later calls fail with LINK_CLOSED. */
  detach(): void {
    for (const off of this.unsubscribe) off();
    this.shut(new GatewayError('LINK_CLOSED'));
  }
}
