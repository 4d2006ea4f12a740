import type { ByteTransport } from '../../../contracts/ByteTransport.js';
import {
  AnswerSender, CommandAssembler, encodeBusyFrame, encodeErrorFrame, encodeFrame, encodeNextFrame, FrameDecoder,
} from '../../../protocols/gb-link/index.js';

export type Answer = { data: Uint8Array } | { error: number } | { silent: true };
export type Handler = (params: Uint8Array) => Answer | Promise<Answer>;

/** What happens to the next outgoing frame (consumed in order). */
export type ReplyFault = 'drop' | 'corrupt' | 'pass';

/**
 * A scripted register for session tests: real framing, multi-packet assembly and answering
 * from protocols/gb-link, command handlers supplied by the test, and faults on either side.
 */
export class FakeRegister {
  private readonly decoder = new FrameDecoder('to-register');
  private readonly assembler = new CommandAssembler();
  private sender: AnswerSender | undefined;
  readonly handlers = new Map<number, Handler>();
  /** Every command executed, whole. */
  readonly executed: { cmd: number; params: Uint8Array }[] = [];
  /** Every command frame that arrived (packets included). */
  framesIn = 0;
  /** Faults applied to outgoing frames, one per frame, in order. */
  replyFaults: ReplyFault[] = [];
  /** Whole commands ignored (not executed, no answer), before they reach the handler. */
  ignoreCommands = 0;
  /** WT frames sent before each answer, `busyGapMs` apart. */
  busyFrames = 0;
  busyGapMs = 20;

  constructor(private readonly transport: ByteTransport) {
    transport.onData((chunk) => { void this.receive(chunk); });
  }

  on(cmd: number, handler: Handler): this {
    this.handlers.set(cmd, handler);
    return this;
  }

  private async send(bytes: Uint8Array): Promise<void> {
    const fault = this.replyFaults.shift() ?? 'pass';
    if (fault === 'drop' || !this.transport.isOpen) return;
    if (fault === 'corrupt') {
      const bad = Uint8Array.from(bytes);
      bad[bad.length - 1]! ^= 0x5a;
      await this.transport.write(bad);
      return;
    }
    await this.transport.write(bytes);
  }

  private async receive(chunk: Uint8Array): Promise<void> {
    for (const frame of this.decoder.push(chunk)) {
      if (frame.kind === 'next') {
        if (this.sender !== undefined) await this.send(encodeFrame(this.sender.onNext(frame)));
        continue;
      }
      if (frame.kind !== 'command') continue;
      this.framesIn++;
      this.sender = undefined;
      const step = this.assembler.accept(frame);
      if (step.type === 'ack') { await this.send(encodeNextFrame(step.pkt)); continue; }
      if (step.type === 'reject') { await this.send(encodeErrorFrame(step.code)); continue; }
      if (this.ignoreCommands > 0) { this.ignoreCommands--; continue; }
      this.executed.push({ cmd: step.cmd, params: step.params });
      const handler = this.handlers.get(step.cmd);
      const answer: Answer = handler === undefined ? { error: 0x20 } : await handler(step.params);
      for (let i = 0; i < this.busyFrames; i++) {
        await this.send(encodeBusyFrame());
        await new Promise((resolve) => setTimeout(resolve, this.busyGapMs));
      }
      if ('silent' in answer) continue;
      if ('error' in answer) { await this.send(encodeErrorFrame(answer.error)); continue; }
      this.sender = new AnswerSender(answer.data);
      await this.send(encodeFrame(this.sender.first()));
    }
  }

  count(cmd: number): number {
    return this.executed.filter((e) => e.cmd === cmd).length;
  }
}
