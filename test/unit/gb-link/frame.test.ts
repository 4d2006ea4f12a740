import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGatewayError } from '../../../contracts/errors/index.js';
import {
  crc16Umts, encodeBusyFrame, encodeCommandFrame, encodeErrorFrame, encodeFrame, encodeNextFrame, encodeOkFrame,
  FrameDecoder, MAX_COMMAND_PARAMS, MAX_REPLY_DATA, type Frame,
} from '../../../protocols/gb-link/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();

describe('CRC-16/UMTS', () => {
  it('has the catalogue check value', () => {
    expect(crc16Umts(new TextEncoder().encode('123456789'))).toBe(0xfee8);
  });
  it('is zero over nothing and sensitive to every bit', () => {
    expect(crc16Umts(new Uint8Array(0))).toBe(0);
    expect(crc16Umts(Uint8Array.of(0x01))).not.toBe(crc16Umts(Uint8Array.of(0x03)));
  });
});

describe('frame encoder', () => {
  it('lays a command out as 1B 10 CMD PKT LEN PARAMS CRC16-BE with LEN = 5 + params', () => {
    const frame = encodeCommandFrame(0x37, 0, new Uint8Array(0));
    expect(hex(frame.subarray(0, 5))).toBe('1B10370005');
    expect((frame[5]! << 8) | frame[6]!).toBe(crc16Umts(frame, 0, 5));
    const withParams = encodeCommandFrame(0x3b, 0, Uint8Array.of(1, 2, 3));
    expect(withParams[4]).toBe(8);
    expect(withParams.length).toBe(10);
  });
  it('counts the 4-byte header in a reply LEN', () => {
    expect(encodeOkFrame(0, Uint8Array.of(9))[3]).toBe(5);
    expect(hex(encodeErrorFrame(0x10).subarray(0, 5))).toBe('4552000510');
    expect(hex(encodeBusyFrame().subarray(0, 4))).toBe('57540004');
    expect(hex(encodeNextFrame(3).subarray(0, 4))).toBe('4E500304');
  });
  it('refuses frames that do not fit in LEN', () => {
    expect(() => encodeCommandFrame(0x30, 0, new Uint8Array(MAX_COMMAND_PARAMS + 1))).toThrow(/exceed/);
    expect(() => encodeOkFrame(0, new Uint8Array(MAX_REPLY_DATA + 1))).toThrow(/exceed/);
    expect(encodeCommandFrame(0x30, 0, new Uint8Array(MAX_COMMAND_PARAMS)).length).toBe(255);
    expect(() => encodeCommandFrame(0x100, 0)).toThrow(/byte/);
  });
});

const commandArb = fc.record({
  kind: fc.constant('command' as const),
  cmd: fc.integer({ min: 0, max: 255 }),
  pkt: fc.integer({ min: 0, max: 255 }),
  params: fc.uint8Array({ maxLength: MAX_COMMAND_PARAMS }),
});
const replyArb: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ kind: fc.constant('ok' as const), pkt: fc.integer({ min: 0, max: 255 }), data: fc.uint8Array({ maxLength: MAX_REPLY_DATA }) }),
  fc.record({ kind: fc.constant('error' as const), code: fc.integer({ min: 0, max: 255 }) }),
  fc.constant({ kind: 'busy' as const }),
  fc.record({ kind: fc.constant('next' as const), pkt: fc.integer({ min: 0, max: 255 }) }),
);
const registerBoundArb: fc.Arbitrary<Frame> = fc.oneof(commandArb, fc.record({ kind: fc.constant('next' as const), pkt: fc.integer({ min: 0, max: 255 }) }));

function concat(parts: Uint8Array[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => [...p]));
}

/** Splits bytes at the given cut points into chunks. */
function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let last = 0;
  for (const p of points) { out.push(bytes.subarray(last, p)); last = p; }
  out.push(bytes.subarray(last));
  return out;
}

/** Whether some valid frame starts inside `garbage` and ends inside `frame`. */
function straddles(garbage: Uint8Array, frame: Uint8Array): boolean {
  const combined = concat([garbage, frame]);
  for (let i = 0; i < garbage.length; i++) {
    const [first] = new FrameDecoder('to-host').push(combined.subarray(i));
    if (first === undefined) continue;
    const encoded = encodeFrame(first);
    if (Buffer.from(combined.subarray(i, i + encoded.length)).equals(encoded) && i + encoded.length > garbage.length) return true;
  }
  return false;
}

function decodeAll(direction: 'to-host' | 'to-register', chunks: Uint8Array[], quietAtEnd = true): Frame[] {
  const decoder = new FrameDecoder(direction);
  const frames = chunks.flatMap((c) => decoder.push(c));
  return quietAtEnd ? [...frames, ...decoder.idle()] : frames;
}

describe('streaming decoder', () => {
  it('decodes every reply frame back, whatever the chunking', () => {
    fc.assert(fc.property(fc.array(replyArb, { maxLength: 8 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
      const bytes = concat(frames.map(encodeFrame));
      expect(decodeAll('to-host', chunked(bytes, cuts), false)).toEqual(frames);
    }));
  });

  it('decodes every command and NP back on the register side', () => {
    fc.assert(fc.property(fc.array(registerBoundArb, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 20 }), (frames, cuts) => {
      const bytes = concat(frames.map(encodeFrame));
      expect(decodeAll('to-register', chunked(bytes, cuts), false)).toEqual(frames);
    }));
  });

  it('never throws on random bytes, and throws nothing but frames', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.nat(), { maxLength: 10 }), (bytes, cuts) => {
      for (const direction of ['to-host', 'to-register'] as const) {
        const frames = decodeAll(direction, chunked(bytes, cuts));
        for (const frame of frames) expect(['command', 'ok', 'error', 'busy', 'next']).toContain(frame.kind);
      }
    }));
  });

  it('finds every valid frame that follows garbage, truncated frames included, once the line goes quiet', () => {
    const garbageArb = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      // a truncated real frame: the nastiest garbage, since its header looks right
      fc.tuple(replyArb, fc.nat()).map(([f, n]) => { const b = encodeFrame(f); return b.subarray(0, n % b.length); }),
      // a frame with one byte flipped
      fc.tuple(replyArb, fc.nat(), fc.integer({ min: 1, max: 255 })).map(([f, n, x]) => {
        const b = Uint8Array.from(encodeFrame(f)); b[n % b.length]! ^= x; return b;
      }),
    );
    fc.assert(fc.property(fc.array(fc.tuple(garbageArb, replyArb), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 12 }), (pairs, cuts) => {
      // When the garbage's tail and the frame's head happen to form a valid frame themselves, the
      // byte stream really holds that frame: no decoder can tell, so such cases prove nothing.
      fc.pre(pairs.every(([g, f]) => !straddles(g, encodeFrame(f))));
      const bytes = concat(pairs.flatMap(([g, f]) => [g, encodeFrame(f)]));
      const decoded = decodeAll('to-host', chunked(bytes, cuts));
      // Every real frame appears, in order (garbage may add frames of its own only by CRC luck).
      let at = 0;
      for (const [, frame] of pairs) {
        while (at < decoded.length && JSON.stringify(decoded[at]) !== JSON.stringify(frame)) at++;
        expect(at, 'frame lost after garbage').toBeLessThan(decoded.length);
        at++;
      }
    }), { numRuns: 300 });
  });

  it('keeps a frame that ends a burst once the line goes quiet, even behind a header promising more', () => {
    const decoder = new FrameDecoder('to-host');
    const ok = encodeOkFrame(0, Uint8Array.of(1, 2, 3));
    // 'O' 'K' 00 FF promises 257 bytes; the real frame sits inside that window.
    expect(decoder.push(concat([Uint8Array.of(0x4f, 0x4b, 0x00, 0xff), ok]))).toEqual([]);
    expect(decoder.idle()).toEqual([{ kind: 'ok', pkt: 0, data: Uint8Array.of(1, 2, 3) }]);
    expect(decoder.stats.discardedBytes).toBe(4);
  });

  it('counts CRC and length errors and skips one byte at a time', () => {
    const decoder = new FrameDecoder('to-host');
    const bad = Uint8Array.from(encodeOkFrame(0, Uint8Array.of(7)));
    bad[4] ^= 0xff;
    const frames = decoder.push(concat([bad, Uint8Array.of(0x45, 0x52, 0, 9), encodeBusyFrame()]));
    expect(frames).toEqual([{ kind: 'busy' }]);
    expect(decoder.stats.crcErrors).toBe(1);
    expect(decoder.stats.lengthErrors).toBe(1);
    expect(decoder.stats.discardedBytes).toBe(bad.length + 4);
  });

  it('only ever throws GatewayError from the encoders', () => {
    fc.assert(fc.property(fc.integer({ min: -5, max: 300 }), fc.integer({ min: -5, max: 300 }), fc.nat({ max: 300 }), (cmd, pkt, n) => {
      try { encodeCommandFrame(cmd, pkt, new Uint8Array(n)); } catch (error) { expect(isGatewayError(error, 'LINK_FRAME_INVALID')).toBe(true); }
    }));
  });
});
