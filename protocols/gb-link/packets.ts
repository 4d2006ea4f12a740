import { GatewayError } from '../../contracts/errors/index.js';
import { ER } from './errorCodes.js';
import { MAX_COMMAND_PARAMS, MAX_REPLY_DATA, type CommandFrame, type NextFrame, type OkFrame } from './frame.js';

/**
 * Multi-packet messages (SPEC.md §3). A message of n packets numbers its packets
 * 1, 2, …, 255, 1, 2, … and gives the last one PKT 0; a single-packet message is PKT 0 alone.
 * "PKT ≠ 0" thus always means "more follows", as the public firmware has it.
 */
export function nextPacketNumber(pkt: number): number {
  return pkt >= 255 ? 1 : pkt + 1;
}

export function packetNumber(index: number, count: number): number {
  return index === count - 1 ? 0 : (index % 255) + 1;
}

function chunks(payload: Uint8Array, size: number): Uint8Array[] {
  if (payload.length === 0) return [payload];
  const out: Uint8Array[] = [];
  for (let offset = 0; offset < payload.length; offset += size) out.push(payload.subarray(offset, offset + size));
  return out;
}

export function commandPackets(cmd: number, params: Uint8Array, maxParams = MAX_COMMAND_PARAMS): CommandFrame[] {
  const parts = chunks(params, maxParams);
  return parts.map((part, i) => ({ kind: 'command', cmd, pkt: packetNumber(i, parts.length), params: part }));
}

export function answerPackets(data: Uint8Array, maxData = MAX_REPLY_DATA): OkFrame[] {
  const parts = chunks(data, maxData);
  return parts.map((part, i) => ({ kind: 'ok', pkt: packetNumber(i, parts.length), data: part }));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.length; }
  return out;
}

export type AssemblerStep =
  /** Answer `NP pkt`: the packet was taken (or was a repeat of the last one taken). */
  | { readonly type: 'ack'; readonly pkt: number }
  /** The message is whole: execute it. */
  | { readonly type: 'complete'; readonly cmd: number; readonly params: Uint8Array }
  /** Answer `ER code`; the partial message is dropped. */
  | { readonly type: 'reject'; readonly code: number };

/**
 * The register's side of a multi-packet command (SPEC.md §3.1): the simulator feeds every
 * command frame here and does what the step says. A repeat of the last packet taken is
 * acknowledged again without being appended, so the host may safely re-send a non-final packet.
 */
export class CommandAssembler {
  private cmd = -1;
  private last = 0;
  private parts: Uint8Array[] = [];
  private size = 0;

  constructor(private readonly maxMessage = 1 << 20) {}

  get assembling(): boolean {
    return this.cmd >= 0;
  }

  reset(): void {
    this.cmd = -1;
    this.last = 0;
    this.parts = [];
    this.size = 0;
  }

  accept(frame: CommandFrame): AssemblerStep {
    if (this.assembling && frame.cmd === this.cmd) {
      if (frame.pkt === this.last) return { type: 'ack', pkt: frame.pkt };
      if (frame.pkt === nextPacketNumber(this.last) || frame.pkt === 0) return this.append(frame);
    }
    this.reset();
    if (frame.pkt === 0 || frame.pkt === 1) {
      this.cmd = frame.cmd;
      return this.append(frame);
    }
    return { type: 'reject', code: ER.BAD_HEADER };
  }

  private append(frame: CommandFrame): AssemblerStep {
    this.size += frame.params.length;
    if (this.size > this.maxMessage) {
      this.reset();
      return { type: 'reject', code: ER.BAD_LENGTH };
    }
    this.parts.push(frame.params);
    if (frame.pkt !== 0) {
      this.last = frame.pkt;
      return { type: 'ack', pkt: frame.pkt };
    }
    const step: AssemblerStep = { type: 'complete', cmd: frame.cmd, params: concat(this.parts) };
    this.reset();
    return step;
  }
}

/**
 * The register's side of a multi-packet answer (SPEC.md §3.2). `NP p` where p is the PKT of
 * the packet last sent asks for the following one; any other NP asks for the last one again.
 */
export class AnswerSender {
  private readonly packets: OkFrame[];
  private index = 0;

  constructor(data: Uint8Array, maxData = MAX_REPLY_DATA) {
    this.packets = answerPackets(data, maxData);
  }

  /** The packet to send right after executing the command. */
  first(): OkFrame {
    this.index = 0;
    return this.packets[0]!;
  }

  /** True once the final packet (PKT 0) has been sent. */
  get finished(): boolean {
    return this.index === this.packets.length - 1;
  }

  onNext(frame: NextFrame): OkFrame {
    const sent = this.packets[this.index]!;
    if (sent.pkt !== 0 && frame.pkt === sent.pkt) this.index++;
    return this.packets[this.index]!;
  }
}

export type CollectorStep = 'more' | 'done' | 'repeat';

/**
 * The host's side of a multi-packet answer: takes OK frames in order and says whether to ask
 * for more (`NP ack`), whether the answer is whole, or whether the packet was a repeat of one
 * already taken (ask again with the same `ack`).
 */
export class AnswerCollector {
  private parts: Uint8Array[] = [];
  private size = 0;
  private last = -1;

  constructor(private readonly command: number, private readonly maxMessage = 1 << 24) {}

  /** PKT of the last packet taken; what the next `NP` carries. */
  get ack(): number {
    return this.last;
  }

  get received(): number {
    return this.size;
  }

  accept(frame: OkFrame): CollectorStep {
    if (this.last >= 1 && frame.pkt === this.last) return 'repeat';
    const expected = this.last < 0 ? frame.pkt === 0 || frame.pkt === 1 : frame.pkt === 0 || frame.pkt === nextPacketNumber(this.last);
    if (!expected) {
      throw new GatewayError('LINK_FRAME_INVALID', {
        params: { detail: `answer to command ${this.command.toString(16)} skipped from packet ${this.last} to ${frame.pkt}` },
      });
    }
    this.size += frame.data.length;
    if (this.size > this.maxMessage) {
      throw new GatewayError('LINK_FRAME_INVALID', { params: { detail: `answer longer than ${this.maxMessage} bytes` } });
    }
    this.parts.push(frame.data);
    this.last = frame.pkt;
    return frame.pkt === 0 ? 'done' : 'more';
  }

  data(): Uint8Array {
    return concat(this.parts);
  }
}
