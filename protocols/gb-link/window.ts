import { GatewayError } from '../../contracts/errors/index.js';
import { CMD } from './commandCodes.js';
import { MAX_COMMAND_PARAMS } from './frame.js';

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

/**
 * 70's protocol version from which a register takes *counted* 74 commands (SPEC.md §10.2): the window
 * opens at once, and the last packet may go before the earlier ones are acknowledged.
 */
export const COUNTED_WINDOW_PROTOCOL = 2;
/** Bit 7 of 74's window byte: a packet count u16 follows it (the counted form, SPEC.md §10.1). */
export const COUNTED_FLAG = 0x80;
const COUNTED_HEADER = 4;

/** Packets a message of `size` PARAMS bytes takes (§3: cut at the maximum size, at least one). */
export function packetCount(size: number, maxParams = MAX_COMMAND_PARAMS): number {
  return Math.max(1, Math.ceil(size / maxParams));
}

/**
 * PARAMS of 74 in the counted form: `window | 80 u8 | packets u16 | cmd u8 | the command's own PARAMS`,
 * `packets` being how many packets these PARAMS take (so the register can place the last one, PKT 0).
 */
export function countedWindowedParams(window: number, cmd: number, params: Uint8Array, maxParams = MAX_COMMAND_PARAMS): Uint8Array {
  const out = new Uint8Array(COUNTED_HEADER + params.length);
  const packets = packetCount(out.length, maxParams);
  if (packets > 0xffff) throw new RangeError(`a counted 74 has at most 65535 packets, not ${packets}`);
  out[0] = clampWindow(window) | COUNTED_FLAG;
  out[1] = packets >> 8;
  out[2] = packets & 0xff;
  out[3] = cmd;
  out.set(params, COUNTED_HEADER);
  return out;
}

export interface WindowedRequest {
  readonly window: number;
  readonly cmd: number;
  readonly params: Uint8Array;
  /** The counted form's packet count (absent in the plain form). */
  readonly packets?: number;
}

/**
 * Splits 74's PARAMS; undefined when they are shorter than the header. `counted`: the reader takes the
 * counted form (a register of protocol version 2 or later); otherwise the window byte is clamped as is.
 * A counted header with a packet count of 0 is undefined too.
 */
export function parseWindowedParams(params: Uint8Array, options: { readonly counted?: boolean } = {}): WindowedRequest | undefined {
  if (params.length < 2) return undefined;
  if (options.counted === true && (params[0]! & COUNTED_FLAG) !== 0) {
    if (params.length < COUNTED_HEADER) return undefined;
    const packets = (params[1]! << 8) | params[2]!;
    if (packets === 0) return undefined;
    return { window: clampWindow(params[0]! & ~COUNTED_FLAG), cmd: params[3]!, params: params.subarray(COUNTED_HEADER), packets };
  }
  return { window: clampWindow(params[0]!), cmd: params[1]!, params: params.subarray(2) };
}

/**
 * The commands a one-packet 74 may carry (SPEC.md §10.2): the record-list reads (§4.2), the only commands worth
 * wrapping whose PARAMS fit in one packet (their answers run to many). Any other command goes in 74 only when its
 * PARAMS need several packets.
 */
export const ONE_PACKET_WINDOWED: ReadonlySet<number> = new Set([
  CMD.DISTRIBUTED_ROLLS, CMD.ROLL_SUMMARIES, CMD.DECLARATIONS, CMD.INVOICES_BY_INDEX, CMD.INVOICES_BY_NUMBER,
  CMD.INVOICES_BY_TIME, CMD.DAILY_RECORDS, CMD.INITIALIZATION_HISTORY,
]);

export type WindowedStart =
  /** A new windowed message begins with this packet (with `packets` 1 it is whole already). */
  | { readonly type: 'start'; readonly request: WindowedRequest }
  /** A packet of no message (a stray): dropped without a word, no NP, no ER. */
  | { readonly type: 'drop' }
  /** A version-1 register's ER: 21 for a packet out of sequence, 22 for PARAMS too short for the header. */
  | { readonly type: 'reject'; readonly code: 0x21 | 0x22 };

/**
 * What a register does with a 74 packet that arrives while it assembles no windowed message (SPEC.md §10.2).
 * From protocol version 2 a message starts only from a counted header: PKT 1 with `packets` ≥ 2, or PKT 0 with
 * `packets` 1 carrying one of ONE_PACKET_WINDOWED; anything else is dropped without a word. So the last packet
 * of a message whose start the register no longer holds (its partial dropped after 1 s of silence, a restart),
 * or a packet numbered 1 after a wrap, is not executed as a message of its own: its data would have to read as
 * such a header by chance. Version 1 takes the plain form: PKT 1 or PKT 0 starts a message, any other PKT is ER 21.
 */
export function windowedStart(pkt: number, params: Uint8Array, protocolVersion: number): WindowedStart {
  if (protocolVersion < COUNTED_WINDOW_PROTOCOL) {
    if (pkt !== 0 && pkt !== 1) return { type: 'reject', code: 0x21 };
    const request = parseWindowedParams(params);
    return request === undefined ? { type: 'reject', code: 0x22 } : { type: 'start', request };
  }
  if (pkt !== 0 && pkt !== 1) return { type: 'drop' };
  const request = parseWindowedParams(params, { counted: true });
  if (request?.packets === undefined) return { type: 'drop' };
  if (pkt === 1) return request.packets >= 2 ? { type: 'start', request } : { type: 'drop' };
  return request.packets === 1 && ONE_PACKET_WINDOWED.has(request.cmd) ? { type: 'start', request } : { type: 'drop' };
}

export interface WindowSenderOptions {
  /** A plain-form command (§10.2): the register learns the window from packet 1, so it goes alone until acknowledged. */
  readonly firstAlone?: boolean;
  /**
   * A counted-form command (§10.2, protocol version 2): the window opens at once; the last packet goes as soon
   * as the window allows once every packet numbered 1 is acknowledged; the last packet is never sent twice; a
   * timeout with packet 1 unacknowledged goes back to packet 1 alone (the register drops what follows a lost
   * packet 1) and the window opens again at its NP.
   */
  readonly counted?: boolean;
}

/**
 * The sending side of one windowed message of `count` packets (indices 0 … count − 1; the last
 * one is PKT 0). Pure: it says which packet indices to put on the line now.
 *
 * - At most `window` packets are unacknowledged; with `firstAlone` (a command: the register
 *   learns the window only from packet 1) just one until the first acknowledgement.
 * - The last packet is sent only once every earlier one is acknowledged, so a receiver never
 *   sees PKT 0 with a gap before it, and a command is never executed with a hole in it; `counted`
 *   relaxes that (the receiver knows where PKT 0 belongs) to every packet numbered 1 acknowledged.
 * - `NP a` naming a packet not yet acknowledged moves the window; one naming the packet just
 *   before the first unacknowledged (a repeat) re-sends that one packet only.
 */
export class WindowSender {
  private base = 0;
  private next = 0;
  /** Packets put on the line at least once (a rewind to packet 1 alone lowers `next`, not this). */
  private sentUpTo = 0;
  private opened: boolean;
  private readonly counted: boolean;
  /** Index of the last non-final packet numbered 1: with `counted`, the last packet waits for its acknowledgement. */
  private readonly lastNumberedOne: number;

  /** Packets sent a second time or more. */
  resent = 0;

  constructor(readonly count: number, readonly window: number, options: WindowSenderOptions = {}) {
    if (count < 1) throw new RangeError('a message has at least one packet');
    this.window = clampWindow(window);
    this.counted = options.counted === true;
    this.opened = options.firstAlone !== true;
    this.lastNumberedOne = count < 2 ? -1 : Math.floor((count - 2) / 255) * 255;
  }

  /** The last packet has been put on the line. */
  get finalSent(): boolean {
    return this.sentUpTo === this.count;
  }

  /** Packets the receiver has acknowledged (all before the first unacknowledged one). */
  get acknowledged(): number {
    return this.base;
  }

  /** Every packet before the last one is acknowledged. */
  get allButFinalAcknowledged(): boolean {
    return this.base >= this.count - 1;
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
      this.next = Math.max(this.next, this.base);
      this.opened = true;
      return this.fill();
    }
    return this.repeatFirst();
  }

  /** Nothing came back for a reply timeout: send the first unacknowledged packet again. */
  onTimeout(): number[] {
    if (this.counted && this.base === 0 && this.count > 1) {
      // Packet 1 may have been lost, and with it everything after it: start again from packet 1 alone.
      this.next = 1;
      this.opened = false;
    }
    return this.repeatFirst();
  }

  private repeatFirst(): number[] {
    if (this.base >= this.next) return this.fill();
    // A counted command's last packet is never sent twice (§10.3): its fate is the caller's business.
    if (this.counted && this.base === this.count - 1) return [];
    this.resent++;
    return [this.base];
  }

  /** Which sent, not-final packet `pkt` names, counting "none yet" as index −1. */
  private named(pkt: number): number | undefined {
    for (let index = Math.min(this.sentUpTo - 1, this.count - 2); index >= this.base - 1; index--) {
      if (ackAfter(index + 1) === pkt) return index;
    }
    return undefined;
  }

  private fill(): number[] {
    const out: number[] = [];
    const limit = this.opened ? this.window : 1;
    while (this.next < this.count && this.next < this.base + limit) {
      if (this.next === this.count - 1 && !this.finalMayGo()) break;
      if (this.next < this.sentUpTo) this.resent++;
      out.push(this.next++);
      this.sentUpTo = Math.max(this.sentUpTo, this.next);
    }
    return out;
  }

  private finalMayGo(): boolean {
    if (this.sentUpTo === this.count) return false;
    return this.counted ? this.base > this.lastNumberedOne : this.base >= this.count - 1;
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
 * With `packets` (a counted 74, §10.1) the last packet is placed at its index and held like any
 * other until the gap before it is filled; the message is whole only with all `packets` taken.
 */
export class WindowReceiver<T> {
  private count = 0;
  private readonly held = new Map<number, T>();
  private gapAskedAt = -1;
  private finished = false;
  private readonly packets: number | undefined;
  /** Packets ignored: repeats of taken ones, or outside the window. */
  ignored = 0;

  constructor(readonly window: number, options: { readonly packets?: number } = {}) {
    this.window = clampWindow(window);
    this.packets = options.packets;
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
    if (pkt === 0 && this.packets === undefined) {
      if (this.held.size > 0) {
        throw new GatewayError('LINK_FRAME_INVALID', {
          params: { detail: `last packet arrived while packets after ${this.count} were still missing` },
        });
      }
      this.count++;
      this.finished = true;
      return { taken: [item], ack: undefined, done: true };
    }
    const ahead = pkt === 0 ? this.packets! - 1 - this.count : (pkt - nonFinalNumber(this.count) + 255) % 255;
    if (pkt !== 0 && this.packets !== undefined && this.count + ahead >= this.packets - 1 && ahead < this.window) {
      throw new GatewayError('LINK_FRAME_INVALID', {
        params: { detail: `packet ${pkt} where the message of ${this.packets} packets has its last one or beyond` },
      });
    }
    if (ahead === 0) {
      const taken = [item];
      this.count++;
      for (let next = this.held.get(this.count); next !== undefined; next = this.held.get(this.count)) {
        this.held.delete(this.count);
        taken.push(next);
        this.count++;
      }
      if (this.packets !== undefined && this.count === this.packets) {
        this.finished = true;
        return { taken, ack: undefined, done: true };
      }
      return { taken, ack: this.ack, done: false };
    }
    if (ahead > 0 && ahead < this.window) {
      this.held.set(this.count + ahead, item);
      if (this.gapAskedAt === this.count) return { taken: [], ack: undefined, done: false };
      this.gapAskedAt = this.count;
      return { taken: [], ack: this.ack, done: false };
    }
    this.ignored++;
    return { taken: [], ack: undefined, done: false };
  }
}
