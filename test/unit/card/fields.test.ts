import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import {
  appendXor, decodeAscii, decodeBcd, decodeBcdDate, decodeGbk, decodeOptionalBcdDate, encodeAscii, encodeBcd, encodeBcdDate, encodeGbk,
  formatFiscalCode, parseFiscalCode, stripXor,
} from '../../../protocols/gb18240-card/index.js';
import * as A from './arbitraries.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h, 'hex'));

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof GatewayError) return error.code;
    throw error;
  }
  return undefined;
}

describe('BCD numbers and dates', () => {
  it('packs digits two per byte, left-padded', () => {
    expect(hex(encodeBcd('4403100000000001', 8, 'cardNumber'))).toBe('4403100000000001');
    expect(hex(encodeBcd('123', 2, 'x'))).toBe('0123');
    expect(decodeBcd(bytes('0123'), 'x')).toBe('0123');
  });

  it('refuses non-digits, too many digits and non-BCD bytes', () => {
    expect(codeOf(() => encodeBcd('12a4', 2, 'x'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => encodeBcd('12345', 2, 'x'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => decodeBcd(bytes('1A'), 'x'))).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('writes dates as CCYYMMDD and checks the calendar', () => {
    expect(hex(encodeBcdDate('2026-11-22', 'date'))).toBe('20261122');
    expect(decodeBcdDate(bytes('20240229'), 'date')).toBe('2024-02-29');
    expect(codeOf(() => decodeBcdDate(bytes('20230229'), 'date'))).toBe('CARD_RESPONSE_MALFORMED');
    expect(codeOf(() => decodeBcdDate(bytes('20231301'), 'date'))).toBe('CARD_RESPONSE_MALFORMED');
    expect(codeOf(() => encodeBcdDate('2026-02-30', 'date'))).toBe('CARD_VALUE_INVALID');
    expect(decodeOptionalBcdDate(bytes('00000000'), 'date')).toBeNull();
    expect(decodeOptionalBcdDate(bytes('FFFFFFFF'), 'date')).toBeNull();
  });

  it('round-trips any date', () => {
    fc.assert(fc.property(A.isoDate, (date) => {
      expect(decodeBcdDate(encodeBcdDate(date, 'd'), 'd')).toBe(date);
    }));
  });
});

describe('names', () => {
  it('writes GBK padded with 00 and reads it back as UTF-8', () => {
    const encoded = encodeGbk('税控', 6, 'name');
    expect(hex(encoded)).toBe('CBB0BFD80000');
    expect(decodeGbk(encoded)).toBe('税控');
  });

  it('refuses a name too long for its field or outside GBK', () => {
    expect(codeOf(() => encodeGbk('深圳市示例商贸有限公司', 20, 'name'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => encodeGbk('😀', 40, 'name'))).toBe('CARD_VALUE_INVALID');
  });

  it('keeps ASCII fields printable', () => {
    expect(decodeAscii(encodeAscii('91440300MA5EXAMPLE', 20, 'id'), 'id')).toBe('91440300MA5EXAMPLE');
    expect(codeOf(() => encodeAscii('é', 20, 'id'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => decodeAscii(bytes('41071F00'), 'id'))).toBe('CARD_RESPONSE_MALFORMED');
  });

  it('reads any GBK bytes without throwing', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (raw) => {
      expect(typeof decodeGbk(raw)).toBe('string');
    }));
  });
});

describe('fiscal code (税控码)', () => {
  it('prints two big-endian uint32 as 10 digits each', () => {
    expect(formatFiscalCode(bytes('00000001FFFFFFFF'))).toBe('00000000014294967295');
    expect(hex(parseFiscalCode('00000000014294967295'))).toBe('00000001FFFFFFFF');
  });

  it('round-trips any 8 bytes', () => {
    fc.assert(fc.property(A.bytes(8), (code) => {
      expect(parseFiscalCode(formatFiscalCode(code))).toEqual(code);
    }));
  });

  it('refuses a half above 4294967295 and wrong lengths', () => {
    expect(codeOf(() => parseFiscalCode('42949672960000000000'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => parseFiscalCode('123'))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => formatFiscalCode(new Uint8Array(7)))).toBe('CARD_VALUE_INVALID');
  });
});

describe('XOR byte', () => {
  it('is the XOR of every byte before it', () => {
    expect(hex(appendXor(bytes('0102F0')))).toBe('0102F0F3');
    expect(hex(stripXor(bytes('0102F0F3'), 'X'))).toBe('0102F0');
  });

  it('refuses a wrong one with CARD_XOR_MISMATCH naming the command', () => {
    try {
      stripXor(bytes('0102F000'), 'DECLARE_DUTY');
      expect.unreachable();
    } catch (error) {
      expect(isGatewayError(error, 'CARD_XOR_MISMATCH')).toBe(true);
      expect((error as GatewayError).message).toContain('DECLARE_DUTY');
    }
  });
});
