import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import { FrameDecoder } from '../../../protocols/gb-link/FrameDecoder.js';
import { encodeCommandFrame, encodeNextFrame, type ReplyFrame } from '../../../protocols/gb-link/frame.js';
import { AnswerCollector, commandPackets } from '../../../protocols/gb-link/packets.js';
import type { CommandSpec } from '../../../protocols/gb-link/payloads/codec.js';

export type Outcome = { kind: 'ok'; data: Uint8Array; busyFrames: number } | { kind: 'error'; code: number; busyFrames: number };

/**
 * The host side of GB link, as small as the simulator's tests need: C's frame codec and packet
 * rules, no retries, one command at a time. (The gateway's RegisterSession does the real work.)
 */
export class HostLink {
  private readonly decoder = new FrameDecoder('to-host');
  private queue: ReplyFrame[] = [];
  private waiter: (() => void) | undefined;
  readonly received: ReplyFrame[] = [];

  constructor(private readonly transport: ByteTransport) {
    transport.onData((chunk) => {
      for (const frame of this.decoder.push(chunk)) {
        this.received.push(frame as ReplyFrame);
        this.queue.push(frame as ReplyFrame);
      }
      this.waiter?.();
    });
  }

  async next(): Promise<ReplyFrame> {
    while (this.queue.length === 0) await new Promise<void>((resolve) => { this.waiter = resolve; });
    return this.queue.shift()!;
  }

  /** What a host does after an inter-byte gap: a partial frame it holds will never complete. */
  idle(): void {
    for (const frame of this.decoder.idle()) {
      this.received.push(frame as ReplyFrame);
      this.queue.push(frame as ReplyFrame);
    }
  }

  async sendRaw(bytes: Uint8Array): Promise<void> {
    await this.transport.write(bytes);
  }

  /** Sends one command (multi-packet when long) and collects its whole answer. */
  async request(cmd: number, params: Uint8Array = new Uint8Array(0)): Promise<Outcome> {
    let busyFrames = 0;
    const packets = commandPackets(cmd, params);
    for (const [i, packet] of packets.entries()) {
      await this.transport.write(encodeCommandFrame(packet.cmd, packet.pkt, packet.params));
      if (i === packets.length - 1) break;
      for (;;) {
        const reply = await this.next();
        if (reply.kind === 'busy') { busyFrames++; continue; }
        if (reply.kind === 'error') return { kind: 'error', code: reply.code, busyFrames };
        if (reply.kind === 'next' && reply.pkt === packet.pkt) break;
        throw new Error(`unexpected ${reply.kind} while sending packet ${packet.pkt}`);
      }
    }
    const collector = new AnswerCollector(cmd);
    for (;;) {
      const reply = await this.next();
      if (reply.kind === 'busy') { busyFrames++; continue; }
      if (reply.kind === 'error') return { kind: 'error', code: reply.code, busyFrames };
      if (reply.kind !== 'ok') throw new Error(`unexpected ${reply.kind} in an answer`);
      const step = collector.accept(reply);
      if (step === 'done') return { kind: 'ok', data: collector.data(), busyFrames };
      await this.transport.write(encodeNextFrame(collector.ack));
    }
  }

  /** A typed call through the gateway's payload codecs; throws on ER with the code in the message. */
  async call<Req, Res>(spec: CommandSpec<Req, Res>, request: Req): Promise<Res> {
    const outcome = await this.request(spec.code, spec.request.encode(request));
    if (outcome.kind === 'error') throw new RegisterAnswerError(outcome.code);
    return spec.response.decode(outcome.data);
  }
}

export class RegisterAnswerError extends Error {
  constructor(readonly code: number) {
    super(`ER ${code.toString(16).padStart(2, '0')}`);
  }
}
