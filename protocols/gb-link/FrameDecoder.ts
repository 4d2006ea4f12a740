import { crc16Umts } from './crc16.js';
import { COMMAND_HEADER, CRC_SIZE, REPLY_HEADER, type Frame } from './frame.js';

/**
 * Which frames a decoder accepts. `to-host` is the gateway's side (OK, ER, WT, NP);
 * `to-register` is the register's side, as the simulator uses it (commands and NP).
 */
export type FrameDirection = 'to-host' | 'to-register';

export interface DecoderStats {
  /** Frames emitted. */
  frames: number;
  /** Bytes dropped while resynchronising, whatever the reason. */
  discardedBytes: number;
  /** Candidate frames whose CRC did not match. */
  crcErrors: number;
  /** Candidate frames whose LEN cannot be right for their kind. */
  lengthErrors: number;
}

type Kind = 'command' | 'ok' | 'error' | 'busy' | 'next';

function kindAt(first: number, second: number, direction: FrameDirection): Kind | undefined {
  if (first === 0x4e && second === 0x50) return 'next';
  if (direction === 'to-register') return first === 0x1b && second === 0x10 ? 'command' : undefined;
  if (first === 0x4f && second === 0x4b) return 'ok';
  if (first === 0x45 && second === 0x52) return 'error';
  if (first === 0x57 && second === 0x54) return 'busy';
  return undefined;
}

function mayStartFrame(first: number, direction: FrameDirection): boolean {
  return direction === 'to-register' ? first === 0x1b || first === 0x4e : first === 0x4f || first === 0x45 || first === 0x57 || first === 0x4e;
}

function lengthFits(kind: Kind, len: number): boolean {
  switch (kind) {
    case 'command': return len >= COMMAND_HEADER;
    case 'ok': return len >= REPLY_HEADER;
    case 'error': return len === REPLY_HEADER + 1;
    case 'busy':
    case 'next': return len === REPLY_HEADER;
  }
}

/**
 * Streaming GB-link decoder: feed it bytes in any chunking, get whole frames back.
 *
 * Resync rule (SPEC.md §2.4): a candidate starts at a two-byte start marker; when its LEN is
 * impossible or its CRC is wrong, exactly one byte is dropped and the search goes on, so a
 * real frame that begins inside a broken one is still found. A candidate that is merely
 * incomplete is kept until more bytes come, or until `idle()` says the line went quiet.
 */
export class FrameDecoder {
  private buffer = new Uint8Array(0);
  private start = 0;
  readonly stats: DecoderStats = { frames: 0, discardedBytes: 0, crcErrors: 0, lengthErrors: 0 };

  constructor(readonly direction: FrameDirection) {}

  /** Bytes held back as the beginning of a frame not yet complete. */
  get pending(): number {
    return this.buffer.length - this.start;
  }

  push(chunk: Uint8Array): Frame[] {
    this.append(chunk);
    return this.drain(false);
  }

  /**
   * The line has been quiet longer than the inter-byte timeout: whatever incomplete candidate
   * is buffered will never complete. Complete frames behind it are still returned.
   */
  idle(): Frame[] {
    const frames = this.drain(true);
    this.buffer = new Uint8Array(0);
    this.start = 0;
    return frames;
  }

  /** Forgets buffered bytes (counted as discarded). */
  reset(): void {
    this.stats.discardedBytes += this.pending;
    this.buffer = new Uint8Array(0);
    this.start = 0;
  }

  private append(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.buffer.length - this.start;
    if (rest === 0) {
      this.buffer = Uint8Array.from(chunk);
    } else {
      const joined = new Uint8Array(rest + chunk.length);
      joined.set(this.buffer.subarray(this.start), 0);
      joined.set(chunk, rest);
      this.buffer = joined;
    }
    this.start = 0;
  }

  private drop(count: number): void {
    this.start += count;
    this.stats.discardedBytes += count;
  }

  private drain(quiet: boolean): Frame[] {
    const frames: Frame[] = [];
    const buf = this.buffer;
    for (;;) {
      const available = buf.length - this.start;
      if (available === 0) break;
      const p = this.start;
      if (!mayStartFrame(buf[p]!, this.direction)) {
        let q = p + 1;
        while (q < buf.length && !mayStartFrame(buf[q]!, this.direction)) q++;
        this.drop(q - p);
        continue;
      }
      if (available < 2) {
        if (quiet) this.drop(1);
        break;
      }
      const kind = kindAt(buf[p]!, buf[p + 1]!, this.direction);
      if (kind === undefined) {
        this.drop(1);
        continue;
      }
      const headerSize = kind === 'command' ? COMMAND_HEADER : REPLY_HEADER;
      if (available < headerSize) {
        if (quiet) { this.drop(1); continue; }
        break;
      }
      const len = buf[p + headerSize - 1]!;
      if (!lengthFits(kind, len)) {
        this.stats.lengthErrors++;
        this.drop(1);
        continue;
      }
      const total = len + CRC_SIZE;
      if (available < total) {
        if (quiet) { this.drop(1); continue; }
        break;
      }
      const crc = (buf[p + len]! << 8) | buf[p + len + 1]!;
      if (crc16Umts(buf, p, p + len) !== crc) {
        this.stats.crcErrors++;
        this.drop(1);
        continue;
      }
      frames.push(this.frameAt(kind, p, len));
      this.start = p + total;
      this.stats.frames++;
    }
    return frames;
  }

  private frameAt(kind: Kind, p: number, len: number): Frame {
    const buf = this.buffer;
    switch (kind) {
      case 'command': return { kind, cmd: buf[p + 2]!, pkt: buf[p + 3]!, params: buf.slice(p + COMMAND_HEADER, p + len) };
      case 'ok': return { kind, pkt: buf[p + 2]!, data: buf.slice(p + REPLY_HEADER, p + len) };
      case 'error': return { kind, code: buf[p + REPLY_HEADER]! };
      case 'busy': return { kind };
      case 'next': return { kind, pkt: buf[p + 2]! };
    }
  }
}
