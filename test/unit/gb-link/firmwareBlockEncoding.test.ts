import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { firmwareWrite } from '../../../protocols/gb-link/payloads/firmware.js';
import { firmwareWriteCompressed } from '../../../protocols/gb-link/payloads/compressedFirmware.js';

const u32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

describe('firmware blocks (64/02, 75) encoded with one copy of the block', () => {
  it('64/02 is sub-command 02, offset u32, the block; it decodes back; the payload is a copy, not a view', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffff_ffff }), fc.uint8Array({ minLength: 1, maxLength: 70_000 }), (offset, data) => {
      const bytes = firmwareWrite.request.encode({ offset, data });
      expect(Array.from(bytes.subarray(0, 5))).toEqual([0x02, ...u32(offset)]);
      expect(Buffer.from(bytes.subarray(5)).equals(Buffer.from(data))).toBe(true);
      expect(bytes.buffer).not.toBe(data.buffer);
      expect(firmwareWrite.request.decode(bytes)).toEqual({ offset, data });
    }), { numRuns: 60 });
  });

  it('75 is offset u32, size u16, the deflated block; it decodes back', () => {
    fc.assert(fc.property(fc.nat({ max: 0xffff_ffff }), fc.integer({ min: 1, max: 0xffff }), fc.uint8Array({ minLength: 1, maxLength: 5000 }), (offset, size, deflated) => {
      const bytes = firmwareWriteCompressed.request.encode({ offset, size, deflated });
      expect(Array.from(bytes.subarray(0, 6))).toEqual([...u32(offset), size >> 8, size & 0xff]);
      expect(Buffer.from(bytes.subarray(6)).equals(Buffer.from(deflated))).toBe(true);
      expect(firmwareWriteCompressed.request.decode(bytes)).toEqual({ offset, size, deflated });
    }), { numRuns: 60 });
  });

  it('refuses what the schema refuses, as LINK_PAYLOAD_INVALID; a wrong sub-command does not decode', () => {
    expect(() => firmwareWrite.request.encode({ offset: -1, data: Uint8Array.of(1) })).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    expect(() => firmwareWrite.request.encode({ offset: 0, data: new Uint8Array(0) })).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    expect(() => firmwareWriteCompressed.request.encode({ offset: 0, size: 0, deflated: Uint8Array.of(1) })).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    expect(() => firmwareWrite.request.decode(Uint8Array.of(0x03, 0, 0, 0, 0, 1))).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    expect(() => firmwareWrite.request.decode(Uint8Array.of(0x02, 0, 0, 0, 0))).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
  });
});
