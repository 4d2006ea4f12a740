import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  COUNTED_FLAG, HOST_WINDOW, MAX_WINDOW, NOTHING_TAKEN, WindowReceiver, WindowSender, ackAfter, clampWindow, countedWindowedParams, nonFinalNumber,
  packetCount, parseWindowedParams, windowedParams,
} from '../../../protocols/gb-link/window.js';
import { FrameDecoder, commandPackets, packetNumber, type Frame } from '../../../protocols/gb-link/index.js';
import { WINDOWED_TRANSFER } from '../../../protocols/gb-link/window.js';
import { WindowedLink } from '../../../fixtures/simulator/WindowedLink.js';

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
      expect(parseWindowedParams(vector.bytes, { counted: true })).toEqual(revive(vector.value));
      return;
    }
    const frames: Frame[] = new FrameDecoder(vector.direction as 'to-register').push(vector.bytes);
    expect(frames).toHaveLength(1);
    const frame = frames[0]!;
    if (frame.kind === 'command') {
      expect(frame.cmd).toBe(0x74);
      if (/\[1\/\d+\]$/.test(vector.name)) parts = [];
      if (/\[\d+\/\d+\]$/.test(vector.name)) parts.push(frame.params);
      if (vector.payload === '74') expect(parseWindowedParams(frame.params, { counted: true })).toEqual(revive(vector.value));
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

describe('counted windowed commands (SPEC.md §10.1, §10.2, protocol version 2)', () => {
  it('wraps and unwraps the counted form: 80|W, the packet count of the whole 74 PARAMS, CMD', () => {
    const params = new Uint8Array(500).fill(7);
    const wrapped = countedWindowedParams(HOST_WINDOW, 0x64, params);
    expect([...wrapped.subarray(0, 4)]).toEqual([COUNTED_FLAG | HOST_WINDOW, 0, 3, 0x64]);
    expect(packetCount(wrapped.length)).toBe(3);
    expect(parseWindowedParams(wrapped, { counted: true })).toEqual({ window: HOST_WINDOW, cmd: 0x64, params, packets: 3 });
    // A version-1 reader clamps the byte (the host never sends it the counted form).
    expect(parseWindowedParams(wrapped)?.window).toBe(MAX_WINDOW);
    expect(parseWindowedParams(Uint8Array.of(COUNTED_FLAG | 4, 0, 0, 0x64), { counted: true })).toBeUndefined();
    expect(parseWindowedParams(Uint8Array.of(COUNTED_FLAG | 4, 0, 1), { counted: true })).toBeUndefined();
    // Exactly at a packet boundary: 244 + 4 bytes is one packet, one more byte two.
    expect(countedWindowedParams(4, 0x64, new Uint8Array(244))[2]).toBe(1);
    expect(countedWindowedParams(4, 0x64, new Uint8Array(245))[2]).toBe(2);
  });

  it('parses any bytes in either form to undefined or a request whose window is 1…32 and count ≥ 1; the counted form round-trips (fuzz)', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (bytes, counted) => {
      const request = parseWindowedParams(bytes, { counted });
      if (request === undefined) return;
      expect(request.window).toBeGreaterThanOrEqual(1);
      expect(request.window).toBeLessThanOrEqual(MAX_WINDOW);
      if (request.packets !== undefined) expect(request.packets).toBeGreaterThanOrEqual(1);
    }), { numRuns: 500 });
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 3000 }), (window, cmd, params) => {
      const wrapped = countedWindowedParams(window, cmd, params);
      expect(parseWindowedParams(wrapped, { counted: true })).toEqual({ window: clampWindow(window), cmd, params, packets: commandPackets(WINDOWED_TRANSFER, wrapped).length });
    }), { numRuns: 200 });
  });

  it('runs the counted trace of SPEC.md §10.6 (W 4, 6 packets, packet 2 lost): the window opens at once', () => {
    const sender = new WindowSender(6, 4, { counted: true });
    const receiver = new WindowReceiver<number>(4, { packets: 6 });
    const pkt = (index: number) => numberOf(index, 6);
    expect(sender.start().map(pkt)).toEqual([1, 2, 3, 4]);
    const acks = [receiver.accept(1, 0), receiver.accept(3, 2), receiver.accept(4, 3)].map((step) => step.ack);
    expect(acks).toEqual([1, 1, undefined]);
    expect(sender.onAck(1).map(pkt)).toEqual([5]);
    expect(sender.onAck(1).map(pkt)).toEqual([2]);
    expect(receiver.accept(5, 4).ack).toBeUndefined();
    expect(receiver.accept(2, 1)).toEqual({ taken: [1, 2, 3, 4], ack: 5, done: false });
    expect(sender.onAck(5).map(pkt)).toEqual([0]);
    expect(receiver.accept(0, 5)).toEqual({ taken: [5], ack: undefined, done: true });
  });

  it('sends the last packet without waiting for the NPs before it, once packet 1 is acknowledged', () => {
    const sender = new WindowSender(6, 32, { counted: true });
    expect(sender.start()).toEqual([0, 1, 2, 3, 4]);
    expect(sender.finalSent).toBe(false);
    expect(sender.onAck(1)).toEqual([5]);
    expect(sender.finalSent).toBe(true);
    expect(sender.allButFinalAcknowledged).toBe(false);
  });

  it('holds the last packet back until every packet numbered 1 is acknowledged (packet 256 after the wrap)', () => {
    const count = 262;
    const sender = new WindowSender(count, 32, { counted: true });
    sender.start();
    let sent: number[] = [];
    for (let index = 0; index < 255; index++) sent = sender.onAck(ackAfter(index + 1));
    expect(sent).not.toContain(count - 1);
    expect(sender.onAck(ackAfter(256))).toContain(count - 1);
  });

  it('never sends the last packet twice: a repeat NP or a timeout after it, everything before it acknowledged, sends nothing', () => {
    const sender = new WindowSender(3, 32, { counted: true });
    expect(sender.start()).toEqual([0, 1]);
    expect(sender.onAck(1)).toEqual([2]);
    expect(sender.onAck(2)).toEqual([]);
    expect(sender.onAck(2)).toEqual([]);
    expect(sender.onTimeout()).toEqual([]);
    expect(sender.resent).toBe(0);
  });

  it('after the last packet still re-sends a lost packet before it (never one numbered 1)', () => {
    const sender = new WindowSender(4, 32, { counted: true });
    expect(sender.start()).toEqual([0, 1, 2]);
    expect(sender.onAck(1)).toEqual([3]);
    // Packet 2 lost: the receiver holds 3 and the last one and asks again for 2.
    expect(sender.onAck(1)).toEqual([1]);
    expect(sender.onTimeout()).toEqual([1]);
    expect(sender.onAck(3)).toEqual([]);
  });

  it('goes back to packet 1 alone after a timeout with packet 1 unacknowledged, and opens the window again at its NP', () => {
    const sender = new WindowSender(8, 4, { counted: true });
    expect(sender.start()).toEqual([0, 1, 2, 3]);
    expect(sender.onTimeout()).toEqual([0]);
    expect(sender.onTimeout()).toEqual([0]);
    expect(sender.onAck(1)).toEqual([1, 2, 3, 4]);
    // Or packet 1 was taken with the rest and only the NPs were lost: the register's NP for a repeat moves it all.
    const other = new WindowSender(8, 4, { counted: true });
    other.start();
    expect(other.onTimeout()).toEqual([0]);
    expect(other.onAck(4)).toEqual([4, 5, 6, 7]);
  });

  it('holds the last packet across a gap and is whole only with every packet, the last included', () => {
    const receiver = new WindowReceiver<number>(8, { packets: 4 });
    expect(receiver.accept(1, 0).ack).toBe(1);
    expect(receiver.accept(3, 2)).toEqual({ taken: [], ack: 1, done: false });
    expect(receiver.accept(0, 3)).toEqual({ taken: [], ack: undefined, done: false });
    expect(receiver.done).toBe(false);
    expect(receiver.accept(2, 1)).toEqual({ taken: [1, 2, 3], ack: undefined, done: true });
  });

  it('refuses a non-final packet where the count puts the last one; ignores repeats of taken packets', () => {
    const receiver = new WindowReceiver<number>(8, { packets: 3 });
    receiver.accept(1, 0);
    expect(receiver.accept(1, 0)).toEqual({ taken: [], ack: undefined, done: false });
    expect(receiver.ignored).toBe(1);
    expect(() => receiver.accept(3, 2)).toThrow(/last one/);
  });

});

interface LineFates { readonly seed: number; readonly drop: number; readonly duplicate: number; readonly delay: number }

/** A seeded line: each frame dropped, duplicated or delayed (up to `delay` ticks) at random. */
function lineFates({ seed, drop, duplicate, delay }: LineFates): () => Fate {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return () => ({ drop: next() < drop, duplicate: next() < duplicate, delay: Math.floor(next() * (delay + 1)) });
}

/**
 * One windowed command from the host (WindowSender) to the simulator's register side (WindowedLink), both
 * versions, over a line that drops, duplicates and (version 2 only: a serial line keeps order, and a
 * version-1 register answers a packet out of order ER 21) reorders frames. The host acts as
 * exchangeWindowed does: NPs move its window, a quiet line is its reply timeout (it gives up after
 * `retries` in a row), and once its last packet is out with everything before it acknowledged, a quiet
 * line ends the exchange (a lost reply: §10.3, the caller's business).
 */
function command(count: number, window: number, fates: LineFates, version: 1 | 2, retries = 40, restartAt = -1) {
  const counted = version === 2;
  // A one-packet 74 carries a record-list read (3F), the only kind this host sends so (§10.2); longer ones a firmware block.
  const cmd = count === 1 ? 0x3f : 0x64;
  const params = Uint8Array.from({ length: Math.max(0, count * 248 - (counted ? 4 : 2) - 100) }, (_, i) => (i * 31 + count) & 0xff);
  const wrapped = counted ? countedWindowedParams(window, cmd, params) : windowedParams(window, cmd, params);
  const packets = commandPackets(WINDOWED_TRANSFER, wrapped);
  const total = packets.length;
  const sender = new WindowSender(total, window, counted ? { counted } : { firstAlone: true });
  const link = new WindowedLink(1 << 24, version);
  const toRegister: [number, number][] = [];
  const toHost: [number, number][] = [];
  const executed: Uint8Array[] = [];
  let finalSends = 0;
  let rejected = 0;
  let now = 0;
  const fate = lineFates(fates);
  const put = (line: [number, number][], value: number, mayDuplicate = true) => {
    const { drop, duplicate, delay } = fate();
    if (drop) return;
    const late = counted ? delay : 0;
    line.push([now + 1 + late, value]);
    if (duplicate && mayDuplicate) line.push([now + 1 + late, value]);
  };
  // A serial line does not make frames twice: duplicates stand for copies the sender itself put on the line
  // earlier (a re-send crossing an NP), so the last packet, never re-sent, is never duplicated.
  const send = (indices: readonly number[]) => {
    for (const index of indices) {
      if (index === total - 1) finalSends++;
      put(toRegister, index, index !== total - 1);
    }
  };
  const due = (line: [number, number][]) => {
    const ready = line.filter(([at]) => at <= now).sort((a, b) => a[0] - b[0]);
    for (const item of ready) line.splice(line.indexOf(item), 1);
    return ready.map(([, v]) => v);
  };
  send(sender.start());
  let outcome: 'executed' | 'lost after the last packet' | 'given up' = 'given up';
  let silences = 0;
  for (;;) {
    now++;
    // The register restarts (or drops its partial message after 1 s of silence): what it holds is gone.
    if (now === restartAt) link.reset();
    for (const index of due(toRegister)) {
      const packet = packets[index]!;
      const step = link.onCommand({ kind: 'command', cmd: WINDOWED_TRANSFER, pkt: packet.pkt, params: packet.params }, 0);
      if (step.type === 'complete') executed.push(Uint8Array.from([step.request.cmd, ...step.request.params]));
      else if (step.type === 'reject') rejected++;
      else if (step.pkt !== undefined) put(toHost, step.pkt);
    }
    if (executed.length > 0) { outcome = "executed"; break; }
    for (const ack of due(toHost)) {
      silences = 0;
      if (!sender.allButFinalAcknowledged) send(sender.onAck(ack));
    }
    if (toRegister.length === 0 && toHost.length === 0) {
      if (sender.finalSent && sender.allButFinalAcknowledged) { outcome = 'lost after the last packet'; break; }
      if (silences++ >= retries) break;
      send(sender.onTimeout());
    }
  }
  // Whatever was still on its way reaches the register: nothing may execute a second time.
  for (const index of [...toRegister].sort((a, b) => a[0] - b[0]).map(([, v]) => v)) {
    const packet = packets[index]!;
    const step = link.onCommand({ kind: 'command', cmd: WINDOWED_TRANSFER, pkt: packet.pkt, params: packet.params }, 0);
    if (step.type === 'complete') executed.push(Uint8Array.from([step.request.cmd, ...step.request.params]));
  }
  return { outcome, executed, finalSends, rejected, expected: Uint8Array.from([cmd, ...params]) };
}

const lines = fc.record({
  seed: fc.nat(), drop: fc.double({ min: 0, max: 0.3, noNaN: true }), duplicate: fc.double({ min: 0, max: 0.3, noNaN: true }), delay: fc.nat(6),
});

describe('a windowed command under loss, duplication and reordering (fast-check; host WindowSender, register WindowedLink)', () => {
  it.each([[2], [1]] as const)('version %i: executes at most once and only whole, the last packet sent at most once', (version) => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: MAX_WINDOW }), lines, (count, window, fates) => {
      const run = command(count, window, fates, version);
      expect(run.rejected).toBe(0);
      expect(run.finalSends).toBeLessThanOrEqual(1);
      expect(run.executed.length).toBeLessThanOrEqual(1);
      for (const message of run.executed) expect(Buffer.from(message).equals(Buffer.from(run.expected))).toBe(true);
      if (run.outcome === 'executed') expect(run.finalSends).toBe(1);
      // The plain form gives up only before its last packet: nothing can execute afterwards.
      if (version === 1 && run.outcome === 'given up') expect(run.finalSends + run.executed.length).toBe(0);
    }), { numRuns: 100 });
  });

  it('version 2: a register that restarts (or drops its partial) at any moment executes only the whole message, at most once', () => {
    // Without the counted start rule the last packet, or the packet numbered 1 after a wrap, arriving after the restart
    // began a message of its own and executed the tail of the block as window | cmd | PARAMS.
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: MAX_WINDOW }), lines, fc.integer({ min: 1, max: 400 }), (count, window, fates, restartAt) => {
      const run = command(count, window, fates, 2, 40, restartAt);
      expect(run.finalSends).toBeLessThanOrEqual(1);
      expect(run.executed.length).toBeLessThanOrEqual(1);
      for (const message of run.executed) expect(Buffer.from(message).equals(Buffer.from(run.expected))).toBe(true);
    }), { numRuns: 300 });
  });

  it('executes, whole and once, on a line that duplicates and reorders but loses nothing (version 2)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: MAX_WINDOW }), lines, (count, window, fates) => {
      const run = command(count, window, { ...fates, drop: 0 }, 2);
      expect(run.outcome).toBe('executed');
      expect(run.executed).toHaveLength(1);
      expect(run.finalSends).toBe(1);
    }), { numRuns: 100 });
  });
});
