import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { decodeRawFile, encodeRawChunk, RAW_MAGIC } from '../../../protocols/codec/rawFraming.js';
import { parseSha256Sums, renderSha256Sums } from '../../../src/services/backup/sha256sums.js';

const file = (chunks: Uint8Array[]) => Buffer.concat([RAW_MAGIC, ...chunks.map(encodeRawChunk)]);

describe('raw chunk framing', () => {
  it('round-trips any sequence of chunks', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
      expect(decodeRawFile(file(chunks)).map((c) => [...c])).toEqual(chunks.map((c) => [...c]));
    }));
  });

  it('throws only GatewayError DECODE_ERROR on random or truncated bytes', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 50 }), { minLength: 1, maxLength: 5 }), fc.nat(), fc.uint8Array({ maxLength: 40 }), (chunks, cut, noise) => {
      const whole = file(chunks);
      for (const bytes of [whole.subarray(0, cut % whole.length), noise, Buffer.concat([RAW_MAGIC, noise])]) {
        try {
          decodeRawFile(bytes);
        } catch (error) {
          expect(isGatewayError(error, 'DECODE_ERROR')).toBe(true);
        }
      }
    }));
  });
});

describe('sha256sum format', () => {
  it('renders what sha256sum writes and reads it back; refuses anything else', () => {
    const entries = [{ path: 'a.jsonl', sha256: 'a'.repeat(64) }, { path: 'cards/b.raw', sha256: '0'.repeat(64) }];
    const text = renderSha256Sums(entries);
    expect(text).toBe(`${'a'.repeat(64)}  a.jsonl\n${'0'.repeat(64)}  cards/b.raw\n`);
    expect([...parseSha256Sums(text)!]).toEqual([['a.jsonl', 'a'.repeat(64)], ['cards/b.raw', '0'.repeat(64)]]);
    expect(parseSha256Sums(`${'a'.repeat(63)}  x\n`)).toBeUndefined();
    expect(parseSha256Sums(`${'a'.repeat(64)}  x\n${'b'.repeat(64)}  x\n`)).toBeUndefined();
  });
});
