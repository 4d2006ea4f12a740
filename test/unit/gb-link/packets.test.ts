import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGatewayError } from '../../../contracts/errors/index.js';
import {
  AnswerCollector, AnswerSender, CommandAssembler, commandPackets, ER, answerPackets, nextPacketNumber, type OkFrame,
} from '../../../protocols/gb-link/index.js';

describe('packet numbering', () => {
  it('numbers non-final packets 1…255 then wraps to 1, and ends with PKT 0', () => {
    const packets = commandPackets(0x30, new Uint8Array(248 * 300 + 1));
    expect(packets.length).toBe(301);
    expect(packets.slice(0, 3).map((p) => p.pkt)).toEqual([1, 2, 3]);
    expect(packets[254]!.pkt).toBe(255);
    expect(packets[255]!.pkt).toBe(1);
    expect(packets.at(-1)!.pkt).toBe(0);
    expect(commandPackets(0x30, new Uint8Array(248)).map((p) => p.pkt)).toEqual([0]);
    expect(commandPackets(0x30, new Uint8Array(249)).map((p) => p.pkt)).toEqual([1, 0]);
    expect(commandPackets(0x00, new Uint8Array(0)).map((p) => p.params.length)).toEqual([0]);
    expect(nextPacketNumber(255)).toBe(1);
  });
});

describe('command assembly (register side)', () => {
  it('reassembles any message from its packets, acknowledging each non-final one', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1500 }), fc.integer({ min: 1, max: 248 }), (params, size) => {
      const assembler = new CommandAssembler();
      const packets = commandPackets(0x5b, params, size);
      for (const packet of packets.slice(0, -1)) expect(assembler.accept(packet)).toEqual({ type: 'ack', pkt: packet.pkt });
      expect(assembler.accept(packets.at(-1)!)).toEqual({ type: 'complete', cmd: 0x5b, params });
    }));
  });

  it('takes a repeated packet once and acknowledges it again', () => {
    const assembler = new CommandAssembler();
    const [p1, p2, p3] = commandPackets(0x30, Uint8Array.from({ length: 600 }, (_, i) => i & 0xff));
    assembler.accept(p1!);
    expect(assembler.accept(p1!)).toEqual({ type: 'ack', pkt: 1 });
    assembler.accept(p2!);
    expect(assembler.accept(p3!)).toMatchObject({ type: 'complete', params: Uint8Array.from({ length: 600 }, (_, i) => i & 0xff) });
  });

  it('restarts on a new first packet and rejects a packet out of sequence', () => {
    const assembler = new CommandAssembler();
    const packets = commandPackets(0x30, new Uint8Array(600));
    assembler.accept(packets[0]!);
    expect(assembler.accept({ kind: 'command', cmd: 0x37, pkt: 0, params: new Uint8Array(0) })).toMatchObject({ type: 'complete', cmd: 0x37 });
    expect(assembler.accept({ kind: 'command', cmd: 0x30, pkt: 2, params: new Uint8Array(1) })).toEqual({ type: 'reject', code: ER.BAD_HEADER });
    const small = new CommandAssembler(300);
    small.accept(packets[0]!);
    expect(small.accept(packets[1]!)).toEqual({ type: 'reject', code: ER.BAD_LENGTH });
  });
});

describe('multi-packet answers', () => {
  function collect(sender: AnswerSender, lose: Set<number>): Uint8Array {
    const collector = new AnswerCollector(0x44);
    let frame: OkFrame = sender.first();
    let step = 0;
    for (;;) {
      step++;
      if (lose.has(step)) { frame = sender.onNext({ kind: 'next', pkt: collector.ack < 0 ? 0 : collector.ack }); continue; }
      const result = collector.accept(frame);
      if (result === 'done') return collector.data();
      frame = sender.onNext({ kind: 'next', pkt: collector.ack });
    }
  }

  it('delivers the data whole, even when packets are lost and asked for again', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 3000 }), fc.array(fc.integer({ min: 2, max: 40 }), { maxLength: 5 }), (data, lost) => {
      expect(collect(new AnswerSender(data), new Set(lost))).toEqual(data);
    }));
  });

  it('re-sends the final packet for any NP after it', () => {
    const sender = new AnswerSender(Uint8Array.of(1, 2, 3));
    const first = sender.first();
    expect(first.pkt).toBe(0);
    expect(sender.finished).toBe(true);
    expect(sender.onNext({ kind: 'next', pkt: 0 })).toEqual(first);
  });

  it('refuses an answer that skips a packet', () => {
    const [p1, , p3] = answerPackets(new Uint8Array(800));
    const collector = new AnswerCollector(0x44);
    expect(collector.accept(p1!)).toBe('more');
    expect(() => collector.accept(p3!)).toThrow(expect.objectContaining({ code: 'LINK_FRAME_INVALID' }));
    expect(collector.accept(p1!)).toBe('repeat');
    const capped = new AnswerCollector(0x44, 300);
    capped.accept(p1!);
    try { capped.accept(answerPackets(new Uint8Array(800))[1]!); expect.unreachable(); } catch (e) { expect(isGatewayError(e, 'LINK_FRAME_INVALID')).toBe(true); }
  });
});
