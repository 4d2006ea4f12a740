import { describe, expect, it } from 'vitest';
import { commandPackets } from '../../../protocols/gb-link/packets.js';
import {
  COUNTED_FLAG, WINDOWED_TRANSFER, countedWindowedParams, windowedParams, windowedStart,
} from '../../../protocols/gb-link/window.js';
import { WindowedLink } from '../../../fixtures/simulator/WindowedLink.js';

const frame = (pkt: number, params: Uint8Array) => ({ kind: 'command' as const, cmd: WINDOWED_TRANSFER, pkt, params });
const read = Uint8Array.of(0, 0, 0, 1, 0, 1);

describe('a version-2 register starts a windowed message only from a counted header (SPEC.md §10.2)', () => {
  it('windowedStart: PKT 0 alone only counted with packets 1 and a record-list read; PKT 1 only counted with packets ≥ 2', () => {
    expect(windowedStart(0, countedWindowedParams(32, 0x3f, read), 2)).toEqual({ type: 'start', request: { window: 32, cmd: 0x3f, params: read, packets: 1 } });
    expect(windowedStart(0, windowedParams(32, 0x3f, read), 2)).toEqual({ type: 'drop' });
    expect(windowedStart(0, Uint8Array.of(COUNTED_FLAG | 32, 0, 9, 0x64, 1, 2), 2)).toEqual({ type: 'drop' });
    // One packet counted, but not a read: a one-packet 74 never carries anything else, so a tail that looks so is dropped.
    expect(windowedStart(0, countedWindowedParams(32, 0x64, Uint8Array.of(2, 0, 0, 0, 0)), 2)).toEqual({ type: 'drop' });
    expect(windowedStart(0, Uint8Array.of(COUNTED_FLAG | 32, 0, 0, 0x3f), 2)).toEqual({ type: 'drop' });
    const block = countedWindowedParams(32, 0x64, new Uint8Array(600));
    expect(windowedStart(1, block.subarray(0, 248), 2).type).toBe('start');
    expect(windowedStart(1, windowedParams(32, 0x64, new Uint8Array(600)).subarray(0, 248), 2)).toEqual({ type: 'drop' });
    expect(windowedStart(1, countedWindowedParams(32, 0x3f, read), 2)).toEqual({ type: 'drop' });
    expect(windowedStart(5, block.subarray(0, 248), 2)).toEqual({ type: 'drop' });
    // Version 1: the plain form, ER 21 / 22 as before.
    expect(windowedStart(0, windowedParams(32, 0x3f, read), 1).type).toBe('start');
    expect(windowedStart(5, block, 1)).toEqual({ type: 'reject', code: 0x21 });
    expect(windowedStart(0, Uint8Array.of(4), 1)).toEqual({ type: 'reject', code: 0x22 });
  });

  it('WindowedLink version 2, idle: drops a lone plain PKT 0 and a lone counted PKT 0 whose count is not 1, executes a counted one-packet read', () => {
    const link = new WindowedLink(1 << 20, 2);
    expect(link.onCommand(frame(0, windowedParams(32, 0x3f, read)), 0)).toEqual({ type: 'ack', pkt: undefined });
    expect(link.onCommand(frame(0, Uint8Array.of(COUNTED_FLAG | 32, 0, 3, 0x64, 2, 0, 0, 0, 0)), 1)).toEqual({ type: 'ack', pkt: undefined });
    expect(link.inTransfer).toBe(false);
    expect(link.stats.ignoredPackets).toBe(2);
    expect(link.onCommand(frame(0, countedWindowedParams(32, 0x3f, read)), 2)).toEqual({ type: 'complete', request: { window: 32, cmd: 0x3f, params: read, packets: 1 } });
  });

  it('WindowedLink version 2: the last packet of a block whose partial was dropped after 1 s of silence, or lost in a restart, executes nothing', () => {
    // The tail of the block reads as a plain one-packet 41 (window 5, status): the old rule executed it.
    const data = new Uint8Array(600);
    const packets = commandPackets(WINDOWED_TRANSFER, countedWindowedParams(32, 0x64, data));
    const last = packets.at(-1)!;
    last.params.set([5, 0x41]);
    for (const cut of ['silence', 'restart'] as const) {
      const link = new WindowedLink(1 << 20, 2);
      for (const packet of packets.slice(0, -1)) expect(link.onCommand(frame(packet.pkt, packet.params), 0).type).toBe('ack');
      if (cut === 'restart') link.reset();
      expect(link.onCommand(frame(last.pkt, last.params), cut === 'silence' ? 1500 : 1)).toEqual({ type: 'ack', pkt: undefined });
      expect(link.inTransfer).toBe(false);
    }
    // A version-1 register still has the gap (plain form): it takes the lone tail as a message of its own.
    const v1 = new WindowedLink(1 << 20, 1);
    expect(v1.onCommand(frame(0, last.params), 0)).toMatchObject({ type: 'complete', request: { cmd: 0x41 } });
  });

  it('WindowedLink version 2: after a restart, the packet numbered 1 of a wrapped block (index 255) starts nothing, and its rest executes nothing', () => {
    const packets = commandPackets(WINDOWED_TRANSFER, countedWindowedParams(32, 0x64, new Uint8Array(263 * 248 - 200)));
    expect(packets).toHaveLength(263);
    // Its data reads as a plain header (window 5, a status read) followed by 7 more packets and PKT 0: the plain form would take them all.
    packets[255]!.params.set([5, 0x41]);
    const link = new WindowedLink(1 << 20, 2);
    for (const packet of packets.slice(0, 250)) link.onCommand(frame(packet.pkt, packet.params), 0);
    link.reset();
    const steps = packets.slice(250).map((packet) => link.onCommand(frame(packet.pkt, packet.params), 1));
    expect(steps.every((step) => step.type === 'ack' && step.pkt === undefined)).toBe(true);
    expect(link.inTransfer).toBe(false);
  });
});
