import { GatewayError } from '../../contracts/errors/index.js';
import { CMD } from './commandCodes.js';

/**
 * Windowed bulk transfer (SPEC.md §10): 74 wraps any command so that its multi-packet answer, or
 * its own multi-packet PARAMS, travel with up to W packets in flight and cumulative `NP`
 * acknowledgements. Packet numbering, frame sizes and "PKT 0 is the last packet" stay as in §3.
 */
export const WINDOWED_TRANSFER = CMD.WINDOWED_TRANSFER;
/** Largest window either side uses: keeps the 255 packet numbers unambiguous (SPEC.md §10.2). */
export const MAX_WINDOW = 32;
/** The window this host asks for: 921 600 baud with a 2 ms turnaround needs 3, the rest absorbs stalls (§10.5). */
export const HOST_WINDOW = MAX_WINDOW;
/** `NP FF` before any packet was taken: the number that comes before packet 1 in the cycle 1…255. */
export const NOTHING_TAKEN = 0xff;

/** PKT of the non-final packet at `index` (0-based) of a message: 1…255, 1, … */
export function nonFinalNumber(index: number): number {
  return (index % 255) + 1;
}

/** What `NP` says after `taken` packets were taken in order: the last one's PKT, FF for none. */
export function ackAfter(taken: number): number {
  return taken === 0 ? NOTHING_TAKEN : nonFinalNumber(taken - 1);
}

/** A window asked for, as the register uses it: 1 … MAX_WINDOW. */
export function clampWindow(window: number): number {
  return Math.min(MAX_WINDOW, Math.max(1, Math.floor(window)));
}

/** PARAMS of 74: `window u8 | cmd u8 | the command's own PARAMS`. */
export function windowedParams(window: number, cmd: number, params: Uint8Array): Uint8Array {
  const out = new Uint8Array(2 + params.length);
  out[0] = clampWindow(window);
  out[1] = cmd;
  out.set(params, 2);
  return out;
}

export interface WindowedRequest { readonly window: number; readonly cmd: number; readonly params: Uint8Array }

/** Splits 74's PARAMS; undefined when they are shorter than the two header bytes. */
export function parseWindowedParams(params: Uint8Array): WindowedRequest | undefined {
  if (params.length < 2) return undefined;
  return { window: clampWindow(params[0]!), cmd: params[1]!, params: params.subarray(2) };
}

/**
 * The sending side of one windowed message of `count` packets (indices 0 … count − 1; the last
 * one is PKT 0). Pure: it says which packet indices to put on the line now.
 *
 * - At most `window` packets are unacknowledged; with `firstAlone` (a command: the register
 *   learns the window only from packet 1) just one until the first acknowledgement.
 * - The last packet is sent only once every earlier one is acknowledged, so a receiver never
 *   sees PKT 0 with a gap before it, and a command is never executed with a hole in it.
 * - `NP a` naming a packet not yet acknowledged moves the window; one naming the packet just
 *   before the first unacknowledged (a repeat) re-sends that one packet only.
 */
export class WindowSender {
  private base = 0;
  private next = 0;
  private opened: boolean;
  /** Packets sent a second time or more. */
  resent = 0;

  constructor(readonly count: number, readonly window: number, options: { readonly firstAlone?: boolean } = {}) {
    if (count < 1) throw new RangeError('a message has at least one packet');
    this.window = clampWindow(window);
    this.opened = options.firstAlone !== true;
  }

  /** The last packet has been put on the line. */
  get finalSent(): boolean {
    return this.next === this.count;
  }

  /** Packets the receiver has acknowledged (all before the first unacknowledged one). */
  get acknowledged(): number {
    return this.base;
  }

  /** Packets to send at the start. */
  start(): number[] {
    return this.fill();
  }

  /** `NP pkt` arrived: the packets to send now. */
  onAck(pkt: number): number[] {
    const named = this.named(pkt);
    if (named !== undefined && named >= this.base) {
      this.base = named + 1;
      this.opened = true;
      return this.fill();
    }
    return this.repeatFirst();
  }

  /** Nothing came back for a reply timeout: send the first unacknowledged packet again. */
  onTimeout(): number[] {
    return this.repeatFirst();
  }

  private repeatFirst(): number[] {
    if (this.base >= this.next) return this.fill();
    this.resent++;
    return [this.base];
  }

  /** Which sent, not-final packet `pkt` names, counting "none yet" as index −1. */
  private named(pkt: number): number | undefined {
    for (let index = Math.min(this.next - 1, this.count - 2); index >= this.base - 1; index--) {
      if (ackAfter(index + 1) === pkt) return index;
    }
    return undefined;
  }

  private fill(): number[] {
    const out: number[] = [];
    const limit = this.opened ? this.window : 1;
    while (this.next < this.count && this.next < this.base + limit) {
      if (this.next === this.count - 1 && this.base < this.count - 1) break;
      out.push(this.next++);
    }
    return out;
  }
}

export interface ReceiverStep<T> {
  /** Items now in order, oldest first (the packet itself and any held back behind it). */
  readonly taken: readonly T[];
  /** `NP` to send, or undefined to stay silent. */
  readonly ack: number | undefined;
  /** The last packet (PKT 0) has been taken: the message is whole. */
  readonly done: boolean;
}

/**
 * The receiving side of one windowed message. Takes packets in order, holds back packets that
 * arrive after a gap (up to `window` ahead), and acknowledges cumulatively: `NP a` after every
 * packet taken in order, and once per gap (the same `a` again) to ask for the missing packet.
 * Packets outside the window and repeats of taken ones are ignored, so nothing is ever taken twice.
 */
export class WindowReceiver<T> {
  private count = 0;
  private readonly held = new Map<number, T>();
  private gapAskedAt = -1;
  private finished = false;
  /** Packets ignored: repeats of taken ones, or outside the window. */
  ignored = 0;

  constructor(readonly window: number) {
    this.window = clampWindow(window);
  }

  /** Packets taken in order so far. */
  get taken(): number {
    return this.count;
  }

  get done(): boolean {
    return this.finished;
  }

  /** The acknowledgement for what has been taken (what a timeout re-sends). */
  get ack(): number {
    return ackAfter(this.count);
  }

  accept(pkt: number, item: T): ReceiverStep<T> {
    if (this.finished) {
      this.ignored++;
      return { taken: [], ack: undefined, done: true };
    }
    if (pkt === 0) {
      if (this.held.size > 0) {
        throw new GatewayError('LINK_FRAME_INVALID', {
          params: { detail: `last packet arrived while packets after ${this.count} were still missing` },
        });
      }
      this.count++;
      this.finished = true;
      return { taken: [item], ack: undefined, done: true };
    }
    const ahead = (pkt - nonFinalNumber(this.count) + 255) % 255;
    if (ahead === 0) {
      const taken = [item];
      this.count++;
      for (let next = this.held.get(this.count); next !== undefined; next = this.held.get(this.count)) {
        this.held.delete(this.count);
        taken.push(next);
        this.count++;
      }
      return { taken, ack: this.ack, done: false };
    }
    if (ahead < this.window) {
      this.held.set(this.count + ahead, item);
      if (this.gapAskedAt === this.count) return { taken: [], ack: undefined, done: false };
      this.gapAskedAt = this.count;
      return { taken: [], ack: this.ack, done: false };
    }
    this.ignored++;
    return { taken: [], ack: undefined, done: false };
  }
}
