import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { decodeRawFile, encodeRawChunk, FieldReader, FieldWriter, RAW_MAGIC, type FieldDialect } from '../../../protocols/codec/index.js';
import { cardFields } from '../../../protocols/gb18240-card/cardFields.js';
import { linkFields } from '../../../protocols/gb-link/fields.js';

const dialects: ReadonlyArray<readonly [string, FieldDialect, string, string]> = [
  ['card', cardFields('layout'), 'CARD_VALUE_INVALID', 'CARD_RESPONSE_MALFORMED'],
  ['link', linkFields(0x41), 'LINK_PAYLOAD_INVALID', 'LINK_PAYLOAD_INVALID'],
];

const codeOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
    return undefined;
  } catch (error) {
    return error instanceof GatewayError ? error.code : `not a GatewayError: ${String(error)}`;
  }
};

const date = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2999, 11, 31)), noInvalidDate: true });
const isoDate = date.map((d) => d.toISOString().slice(0, 10));
const isoDateTime = date.map((d) => d.toISOString().slice(0, 19));
const gbkText = fc.string({ unit: fc.constantFrom(...'税控收款机深圳市示例餐饮有限公司ABCxyz 0123-'), maxLength: 10 });
const asciiText = fc.string({ unit: fc.constantFrom(...' !09AZaz~-.'), maxLength: 20 });

interface Fields {
  a: number; b: number; c: number; digits: string; day: string; blank: string | null; at: string; name: string; id: string; flag: boolean;
}
const fields = fc.record({
  a: fc.integer({ min: 0, max: 0xff }), b: fc.integer({ min: 0, max: 0xffff }), c: fc.integer({ min: 0, max: 0xffffffff }),
  digits: fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 16, maxLength: 16 }),
  day: isoDate, blank: fc.option(isoDate, { nil: null }), at: isoDateTime, name: gbkText, id: asciiText, flag: fc.boolean(),
});

function write(w: FieldWriter, v: Fields): Uint8Array {
  return w.u8(v.a).u16(v.b).u32(v.c).bcd(v.digits, 8).requiredDate(v.day).optionalDate(v.blank).dateTime(v.at)
    .gbk(v.name, 32).ascii(v.id, 20).bool(v.flag).toBytes();
}
function read(r: FieldReader): Fields {
  const v = { a: r.u8(), b: r.u16(), c: r.u32(), digits: r.bcd(8), day: r.requiredDate(), blank: r.optionalDate(), at: r.dateTime(),
    name: r.gbk(32), id: r.ascii(20), flag: r.bool() };
  r.end();
  return v;
}

describe.each(dialects)('the codec stack with the %s rules', (_name, dialect, invalidCode, malformedCode) => {
  it('round-trips every field type', () => {
    fc.assert(fc.property(fields, (v) => {
      expect(read(new FieldReader(write(new FieldWriter(dialect), v), dialect))).toEqual(v);
    }), { numRuns: 300 });
  });

  it('decodes arbitrary bytes into values or its own malformed error, never anything else', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 90 }), (bytes) => {
      const code = codeOf(() => read(new FieldReader(bytes, dialect)));
      if (code !== undefined) expect(code).toBe(malformedCode);
    }), { numRuns: 500 });
  });

  it('re-encodes whatever it decoded to the same bytes (canonical fields)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 7, maxLength: 7 }), (d, t) => {
      const day = codeOf(() => new FieldReader(d, dialect).requiredDate()) === undefined ? new FieldReader(d, dialect).requiredDate() : undefined;
      if (day !== undefined) expect(new FieldWriter(dialect).requiredDate(day).toBytes()).toEqual(d);
      const at = codeOf(() => new FieldReader(t, dialect).dateTime()) === undefined ? new FieldReader(t, dialect).dateTime() : undefined;
      if (at !== undefined) expect(new FieldWriter(dialect).dateTime(at).toBytes()).toEqual(t);
    }), { numRuns: 500 });
  });

  it('refuses values that do not fit with its own invalid-value error', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: 0x100 }), fc.integer({ max: -1 }), fc.double({ noInteger: true })), (n) => {
      expect(codeOf(() => new FieldWriter(dialect).u8(n))).toBe(invalidCode);
    }));
    expect(codeOf(() => new FieldWriter(dialect).bcd('12a4', 2))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).bcd('12345', 2))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).gbk('名'.repeat(17), 32))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).gbk('a\0b', 32))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).gbk('😀', 32))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).requiredDate('2026-02-30'))).toBe(invalidCode);
    expect(codeOf(() => new FieldWriter(dialect).dateTime('2026-02-01T24:00:00'))).toBe(invalidCode);
  });
});

describe('where the card and the link truly differ (named rules, one implementation)', () => {
  const card = cardFields();
  const link = linkFields(0x38);

  it('bcdShortValue: the card right-aligns a short number, the link refuses it', () => {
    expect(new FieldWriter(card).bcd('123', 2).toBytes()).toEqual(Uint8Array.of(0x01, 0x23));
    expect(codeOf(() => new FieldWriter(link).bcd('123', 2))).toBe('LINK_PAYLOAD_INVALID');
  });

  it('blankDateFills: FFFFFFFF is no date on the card (erased EEPROM), malformed on the link', () => {
    const erased = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    expect(new FieldReader(erased, card).optionalDate()).toBeNull();
    expect(codeOf(() => new FieldReader(erased, link).optionalDate())).toBe('LINK_PAYLOAD_INVALID');
    expect(new FieldReader(new Uint8Array(4), link).optionalDate()).toBeNull();
  });

  it('textEndsAt / textAfterEnd: the card stops at 00 or FF and ignores the rest, the link wants 00 padding only', () => {
    const bytes = Uint8Array.of(0x41, 0x42, 0x00, 0x43);
    expect(new FieldReader(bytes, card).gbk(4)).toBe('AB');
    expect(codeOf(() => new FieldReader(bytes, link).gbk(4))).toBe('LINK_PAYLOAD_INVALID');
    expect(new FieldReader(Uint8Array.of(0x41, 0xff, 0xff, 0xff), card).ascii(4)).toBe('A');
    expect(new FieldReader(Uint8Array.of(0x41, 0x00, 0x00, 0x00), link).ascii(4)).toBe('A');
  });

  it('errors name the layer: the card its layout and field, the link its command', () => {
    const cardError = (() => { try { new FieldReader(Uint8Array.of(1), cardFields('EF01')).u16('count'); } catch (e) { return e as GatewayError; } })();
    expect(cardError?.code).toBe('CARD_RESPONSE_MALFORMED');
    expect(JSON.stringify(cardError?.params)).toContain('EF01.count');
    const linkError = (() => { try { new FieldReader(Uint8Array.of(1), link).u16('count'); } catch (e) { return e as GatewayError; } })();
    expect(linkError?.params).toMatchObject({ command: '38' });
  });
});

describe('raw framing', () => {
  it('gives back every chunk it framed, and refuses any truncation', () => {
    fc.assert(fc.property(fc.array(fc.uint8Array({ maxLength: 40 }), { maxLength: 8 }), fc.nat(), (chunks, cut) => {
      const parts = [RAW_MAGIC, ...chunks.map(encodeRawChunk)];
      const file = Uint8Array.from(parts.flatMap((p) => [...p]));
      expect(decodeRawFile(file).map((c) => [...c])).toEqual(chunks.map((c) => [...c]));
      const at = RAW_MAGIC.length + (cut % Math.max(1, file.length - RAW_MAGIC.length));
      if (at < file.length && chunks.length > 0) {
        const boundaries = new Set<number>([RAW_MAGIC.length]);
        let offset = RAW_MAGIC.length;
        for (const c of chunks) { offset += 4 + c.length; boundaries.add(offset); }
        if (!boundaries.has(at)) expect(codeOf(() => decodeRawFile(file.subarray(0, at)))).toBe('DECODE_ERROR');
      }
    }));
  });
});
