import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  HOST_WINDOW, MAX_WINDOW, NOTHING_TAKEN, WindowReceiver, WindowSender, ackAfter, clampWindow, nonFinalNumber, parseWindowedParams, windowedParams,
} from '../../../protocols/gb-link/window.js';
import { FrameDecoder, packetNumber, type Frame } from '../../../protocols/gb-link/index.js';

const spec = readFileSync(fileURLToPath(new URL('../../../protocols/gb-link/SPEC.md', import.meta.url)), 'utf8');

/** SPEC.md §10.6: `name | direction | payload | frame hex | value`, as §8. */
function windowVectors() {
  const block = /```window-vectors\n([\s\S]*?)```/.exec(spec);
  if (block === null) throw new Error('SPEC.md has no window-vectors block');
  return block[1]!.trim().split('\n').map((line) => {
    const [name, direction, payload, hex, value] = line.split(' | ').map((part) => part.trim());
    return { name: name!, direction: direction!, payload: payload!, bytes: Uint8Array.from(Buffer.from(hex!.replaceAll(' ', ''), 'hex')), value: value! };
  });
}

function revive(json: string): unknown {
  return JSON.parse(json, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('hex:') ? Uint8Array.from(Buffer.from(v.slice(4), 'hex')) : v));
}

/** A packet's number as §3 gives it: 1…255, 1, … and 0 for the last one. */
const numberOf = (index: number, count: number) => packetNumber(index, count);

interface Fate { drop: boolean; duplicate: boolean; delay: number }

/**
 * Runs one windowed message of `count` packets through a lossy, reordering line in both directions,
 * with the sender's timeout standing in for the host's reply timeout when the line goes quiet.
 * Returns what the receiver took, in order.
 */
function transfer(count: number, window: number, fates: readonly Fate[], firstAlone: boolean): { taken: number[]; resent: number } {
  const sender = new WindowSender(count, window, { firstAlone });
  const receiver = new WindowReceiver<number>(window);
  const taken: number[] = [];
  // Each line is a queue of [deliverAt, value]; reordering comes from per-item delays.
  const toReceiver: [number, number][] = [];
  const toSender: [number, number][] = [];
  let now = 0;
  let f = 0;
  const fate = () => fates[f++ % fates.length]!;
  const put = (line: [number, number][], value: number) => {
    const { drop, duplicate, delay } = fate();
    if (drop) return;
    line.push([now + 1 + delay, value]);
    if (duplicate) line.push([now + 2 + delay, value]);
  };
  const send = (indices: readonly number[]) => { for (const i of indices) put(toReceiver, i); };
  send(sender.start());
  for (let steps = 0; steps < 200_000 && !receiver.done; steps++) {
    now++;
    const due = (line: [number, number][]) => {
      const ready = line.filter(([at]) => at <= now).sort((a, b) => a[0] - b[0]);
      for (const item of ready) line.splice(line.indexOf(item), 1);
      return ready.map(([, v]) => v);
    };
    for (const index of due(toReceiver)) {
      const step = receiver.accept(numberOf(index, count), index);
      taken.push(...step.taken);
      if (step.ack !== undefined) put(toSender, step.ack);
    }
    for (const ack of due(toSender)) send(sender.onAck(ack));
    if (toReceiver.length === 0 && toSender.length === 0 && !receiver.done) {
      // The host's reply timeout: it repeats its NP (once it has something), the sender its first unacknowledged packet.
      if (receiver.taken > 0 || !firstAlone) put(toSender, receiver.ack);
      send(sender.onTimeout());
    }
  }
  return { taken, resent: sender.resent };
}

/** A cycle of byte fates; every third at most is a loss, and one always passes, so the transfer can finish. */
const fates = fc.array(fc.record({ drop: fc.boolean(), duplicate: fc.boolean(), delay: fc.nat(12) }), { minLength: 1, maxLength: 40 })
  .map((list) => [...list.map((x, i) => ({ ...x, drop: x.drop && i % 3 === 0 })), { drop: false, duplicate: false, delay: 0 }]);

describe('SPEC.md §10.6 window vectors', () => {
  const vectors = windowVectors();
  let parts: Uint8Array[] = [];

  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, vector) => {
    if (vector.direction === 'params') {
      const whole = Buffer.concat(parts);
      parts = [];
      expect(Buffer.from(vector.bytes).equals(whole)).toBe(true);
      expect(parseWindowedParams(vector.bytes)).toEqual(revive(vector.value));
      return;
    }
    const frames: Frame[] = new FrameDecoder(vector.direction as 'to-register').push(vector.bytes);
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    if (frame.kind === 'command') {
      expect(frame.cmd).toBe(0x74);
      if (/\[1\/\d+\]$/.test(vector.name)) parts = [];
      if (/\[\d+\/\d+\]$/.test(vector.name)) parts.push(frame.params);
      if (vector.payload === '74') expect(parseWindowedParams(frame.params)).toEqual(revive(vector.value));
    }
  });
});

describe('windowed transfer (SPEC.md §10)', () => {
  it('runs the trace of SPEC.md §10.6 (W 4, packet 2 lost)', () => {
    const sender = new WindowSender(6, 4);
    const receiver = new WindowReceiver<number>(4);
    const pkt = (index: number) => numberOf(index, 6);
    expect(sender.start().map(pkt)).toEqual([1, 2, 3, 4]);
    const acks = [receiver.accept(1, 0), receiver.accept(3, 2), receiver.accept(4, 3)].map((step) => step.ack);
    expect(acks).toEqual([1, 1, undefined]);
    expect(sender.onAck(1).map(pkt)).toEqual([5]);
    expect(sender.onAck(1).map(pkt)).toEqual([2]);
    expect(receiver.accept(5, 4).ack).toBeUndefined();
    const step = receiver.accept(2, 1);
    expect(step).toEqual({ taken: [1, 2, 3, 4], ack: 5, done: false });
    expect(sender.onAck(5).map(pkt)).toEqual([0]);
    expect(receiver.accept(0, 5)).toEqual({ taken: [5], ack: undefined, done: true });
  });

  it('numbers acknowledgements like §3: FF before packet 1, then the last PKT taken, wrapping after 255', () => {
    expect(ackAfter(0)).toBe(NOTHING_TAKEN);
    expect(ackAfter(1)).toBe(1);
    expect(ackAfter(255)).toBe(255);
    expect(ackAfter(256)).toBe(1);
    expect(nonFinalNumber(254)).toBe(255);
    expect(nonFinalNumber(255)).toBe(1);
    expect(clampWindow(0)).toBe(1);
    expect(clampWindow(200)).toBe(MAX_WINDOW);
  });

  it('wraps and unwraps 74 PARAMS', () => {
    const params = windowedParams(HOST_WINDOW, 0x3f, Uint8Array.of(0, 0, 0, 1, 1, 0));
    expect([...params]).toEqual([HOST_WINDOW, 0x3f, 0, 0, 0, 1, 1, 0]);
    expect(parseWindowedParams(params)).toEqual({ window: HOST_WINDOW, cmd: 0x3f, params: Uint8Array.of(0, 0, 0, 1, 1, 0) });
    expect(parseWindowedParams(Uint8Array.of(4))).toBeUndefined();
  });

  it('keeps W packets in flight and sends the last one only when all before it are acknowledged', () => {
    const sender = new WindowSender(6, 4);
    expect(sender.start()).toEqual([0, 1, 2, 3]);
    expect(sender.onAck(1)).toEqual([4]);
    expect(sender.onAck(2)).toEqual([]);
    expect(sender.onAck(3)).toEqual([]);
    expect(sender.onAck(4)).toEqual([]);
    expect(sender.finalSent).toBe(false);
    expect(sender.onAck(5)).toEqual([5]);
    expect(sender.finalSent).toBe(true);
  });

  it('re-sends only the lost packet when the receiver asks again after a gap', () => {
    const sender = new WindowSender(10, 4);
    const receiver = new WindowReceiver<number>(4);
    expect(sender.start()).toEqual([0, 1, 2, 3]);
    expect(receiver.accept(1, 0)).toEqual({ taken: [0], ack: 1, done: false });
    // packet index 1 (PKT 2) is lost; 3 and 4 arrive
    expect(receiver.accept(3, 2)).toEqual({ taken: [], ack: 1, done: false });
    expect(receiver.accept(4, 3)).toEqual({ taken: [], ack: undefined, done: false });
    expect(sender.onAck(1)).toEqual([4]);
    expect(sender.onAck(1)).toEqual([1]);
    expect(sender.resent).toBe(1);
    expect(receiver.accept(2, 1)).toEqual({ taken: [1, 2, 3], ack: 4, done: false });
    expect(receiver.accept(2, 1).taken).toEqual([]);
  });

  it('asks for packet 1 with NP FF when later packets came first', () => {
    const receiver = new WindowReceiver<number>(4);
    expect(receiver.accept(2, 1)).toEqual({ taken: [], ack: NOTHING_TAKEN, done: false });
    const sender = new WindowSender(3, 4);
    expect(sender.start()).toEqual([0, 1]);
    expect(sender.onAck(NOTHING_TAKEN)).toEqual([0]);
  });

  it('refuses a last packet that arrives with packets missing before it', () => {
    const receiver = new WindowReceiver<number>(4);
    receiver.accept(1, 0);
    receiver.accept(3, 2);
    expect(() => receiver.accept(0, 9)).toThrow(/missing/);
  });

  it('opens the window only after packet 1 is acknowledged when the first packet goes alone (a command)', () => {
    const sender = new WindowSender(5, 3, { firstAlone: true });
    expect(sender.start()).toEqual([0]);
    expect(sender.onTimeout()).toEqual([0]);
    expect(sender.onAck(1)).toEqual([1, 2, 3]);
  });

  it('takes every packet exactly once, in order, whatever the line drops, repeats and reorders (fuzz, past the 255 wrap)', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 700 }), fc.integer({ min: 1, max: MAX_WINDOW }), fates, fc.boolean(),
      (count, window, plan, firstAlone) => {
        const { taken } = transfer(count, window, plan, firstAlone);
        expect(taken).toEqual(Array.from({ length: count }, (_, i) => i));
      },
    ), { numRuns: 150 });
  });

  it('re-sends nothing on a clean line', () => {
    const { taken, resent } = transfer(600, HOST_WINDOW, [{ drop: false, duplicate: false, delay: 0 }], false);
    expect(taken.length).toBe(600);
    expect(resent).toBe(0);
  });
});
