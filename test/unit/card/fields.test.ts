import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { decodeCommandApdu, encodeCommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import {
  appendXor, dailyTotalsLayout, decodeAscii, decodeBcd, decodeBcdDate, decodeGbk, decodeOptionalBcdDate, encodeAscii, encodeBcd, encodeBcdDate, encodeGbk,
  encodeLayout, formatFiscalCode, issueInvoiceRequestLayout, parseFiscalCode, readBinary, readRecord, selectByFileId, selectByName, stripXor, updateBinary,
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

  it('round-trips any digits, left-padded to the field', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }).chain((size) => fc.tuple(fc.constant(size), fc.nat({ max: 2 * size }).chain((n) => A.digits(n)))), ([size, digits]) => {
      expect(decodeBcd(encodeBcd(digits, size, 'x'), 'x')).toBe(digits.padStart(2 * size, '0'));
    }));
  });

  it('decodes any bytes to digits or CARD_RESPONSE_MALFORMED, and any 4 bytes to a real date or CARD_RESPONSE_MALFORMED', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 10 }), A.bytes(4), (raw, date) => {
      const code = codeOf(() => decodeBcd(raw, 'x'));
      expect(code === undefined || code === 'CARD_RESPONSE_MALFORMED').toBe(true);
      const dateCode = codeOf(() => decodeBcdDate(date, 'd'));
      expect(dateCode === undefined || dateCode === 'CARD_RESPONSE_MALFORMED').toBe(true);
    }));
  });

  it('refuses impossible dates both ways: 30 February, month 00 and 13, day 00 and 32', () => {
    for (const digits of ['20260230', '20260001', '20261301', '20260100', '20260132', '20250229']) {
      expect(codeOf(() => decodeBcdDate(bytes(digits), 'date'))).toBe('CARD_RESPONSE_MALFORMED');
      expect(codeOf(() => encodeBcdDate(`${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6)}`, 'date'))).toBe('CARD_VALUE_INVALID');
    }
    expect(codeOf(() => encodeBcdDate('2026-1-05', 'date'))).toBe('CARD_VALUE_INVALID');
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

  it('round-trips any name that fits, and refuses one byte too many', () => {
    fc.assert(fc.property(A.gbk(40), (name) => {
      expect(decodeGbk(encodeGbk(name, 40, 'name'))).toBe(name);
      const size = iconv.encode(name, 'gbk').length;
      if (size > 0) expect(codeOf(() => encodeGbk(name, size - 1, 'name'))).toBe('CARD_VALUE_INVALID');
    }));
    fc.assert(fc.property(A.ascii(20), (id) => {
      expect(decodeAscii(encodeAscii(id, 20, 'id'), 'id')).toBe(id);
    }));
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

  it('parses any string to 8 bytes or CARD_VALUE_INVALID', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ maxLength: 24 }), A.digits(20)), (text) => {
      const code = codeOf(() => parseFiscalCode(text));
      expect(code === undefined || code === 'CARD_VALUE_INVALID').toBe(true);
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

  it('round-trips any data, and any change to one byte is CARD_XOR_MISMATCH', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 220 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, flip) => {
      const framed = appendXor(data);
      expect(stripXor(framed, 'X')).toEqual(data);
      framed[at % framed.length] ^= flip;
      expect(codeOf(() => stripXor(framed, 'X'))).toBe('CARD_XOR_MISMATCH');
    }));
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

describe('tax index', () => {
  it('refuses to write an index outside 0…6, or one item in two slots', () => {
    const daily = { date: '2026-01-01', validCount: 0, returnCount: 0, voidCount: 0, validAmounts: [], returnAmounts: [] };
    expect(codeOf(() => encodeLayout(dailyTotalsLayout, { ...daily, taxIndex: [1, 7] }))).toBe('CARD_VALUE_INVALID');
    expect(codeOf(() => encodeLayout(dailyTotalsLayout, { ...daily, taxIndex: [1, 2, 1] }))).toBe('CARD_VALUE_INVALID');
    expect(hex(encodeLayout(dailyTotalsLayout, { ...daily, taxIndex: [3, 0, 1] }).slice(10, 16))).toBe('030001000000');
    const invoice = { date: '2026-01-01', type: 'normal' as const, invoiceNumber: 1, total: 1 };
    expect(codeOf(() => encodeLayout(issueInvoiceRequestLayout, { ...invoice, lines: [{ taxIndex: 9, amount: 1 }] }))).toBe('CARD_VALUE_INVALID');
  });
});

describe('ISO 7816-4 command builders', () => {
  it('put offset, record and SFI where GB18240.md says', () => {
    expect(hex(encodeCommandApdu(selectByName('TSAM01')))).toBe('00A4040006' + Buffer.from('TSAM01').toString('hex').toUpperCase());
    expect(hex(encodeCommandApdu(selectByFileId(0xef02)))).toBe('00A4000002EF02');
    expect(hex(encodeCommandApdu(readBinary(0x0102, 16)))).toBe('00B0010210');
    expect(hex(encodeCommandApdu(readBinary(7, 103, 0x02)))).toBe('00B0820767');
    expect(hex(encodeCommandApdu(readRecord(3, 220, 0x04)))).toBe('00B20324DC');
    expect(hex(encodeCommandApdu(readRecord(1, 37)))).toBe('00B2010425');
    expect(hex(encodeCommandApdu(updateBinary(0, bytes('AABB'))))).toBe('00D6000002AABB');
  });

  it('decode back to the fields they were built from, and refuse what does not fit with CARD_VALUE_INVALID', () => {
    fc.assert(fc.property(fc.integer({ min: -2, max: 0x8001 }), fc.integer({ min: -1, max: 256 }), fc.option(fc.integer({ min: 0, max: 32 }), { nil: undefined }), fc.integer({ min: 1, max: 256 }), (offset, record, sfi, length) => {
      for (const build of [() => readBinary(offset, length, sfi), () => readRecord(record, length, sfi)]) {
        let command;
        try {
          command = build();
        } catch (error) {
          expect(isGatewayError(error, 'CARD_VALUE_INVALID')).toBe(true);
          continue;
        }
        const decoded = decodeCommandApdu(encodeCommandApdu(command));
        expect(decoded.le).toBe(length);
        if (decoded.ins === 0xb0) {
          expect(sfi === undefined ? (decoded.p1 << 8) | decoded.p2 : decoded.p2).toBe(offset);
          if (sfi !== undefined) expect(decoded.p1).toBe(0x80 | sfi);
        } else {
          expect(decoded.p1).toBe(record);
          expect(decoded.p2).toBe(sfi === undefined ? 0x04 : (sfi << 3) | 0x04);
        }
      }
    }));
  });
});
