import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { apduCase, decodeCommandApdu, encodeCommandApdu, type CommandApdu } from '../../../protocols/apdu/CommandApdu.js';
import { decodeResponseApdu, encodeResponseApdu } from '../../../protocols/apdu/ResponseApdu.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytes = (h: string) => new Uint8Array(Buffer.from(h.replace(/ /g, ''), 'hex'));
const head = { cla: 0x00, ins: 0xb0, p1: 0x01, p2: 0x02 };
const none = new Uint8Array(0);

describe('command APDU encoding', () => {
  it.each<[string, CommandApdu, string, number]>([
    ['case 1', { ...head, data: none }, '00B00102', 1],
    ['case 2 short', { ...head, data: none, le: 16 }, '00B0010210', 2],
    ['case 2 short, Le 256 written 00', { ...head, data: none, le: 256 }, '00B0010200', 2],
    ['case 3 short', { ...head, data: bytes('EF02') }, '00B0010202EF02', 3],
    ['case 4 short', { ...head, data: bytes('AABB'), le: 8 }, '00B0010202AABB08', 4],
    ['case 2 extended', { ...head, data: none, le: 257 }, '00B00102000101', 2],
    ['case 2 extended, Le 65536 written 0000', { ...head, data: none, le: 65536 }, '00B00102000000', 2],
    ['case 3 forced extended', { ...head, data: bytes('AA'), extended: true }, '00B00102000001AA', 3],
    ['case 4 extended by Le', { ...head, data: bytes('AA'), le: 300 }, '00B00102000001AA012C', 4],
  ])('%s', (_name, command, expected, apduCaseNumber) => {
    const encoded = encodeCommandApdu(command);
    expect(hex(encoded)).toBe(expected);
    expect(apduCase(command)).toBe(apduCaseNumber);
    const decoded = decodeCommandApdu(encoded);
    expect(decoded.data).toEqual(command.data);
    expect(decoded.le).toBe(command.le);
  });

  it('goes extended when the data is longer than 255 bytes', () => {
    const data = new Uint8Array(256).fill(7);
    const encoded = encodeCommandApdu({ ...head, data });
    expect(hex(encoded.slice(0, 7))).toBe('00B00102000100');
    expect(encoded.length).toBe(7 + 256);
  });

  it.each([
    ['a CLA above a byte', { ...head, cla: 256, data: none }],
    ['Le of 0', { ...head, data: none, le: 0 }],
    ['Le above 65536', { ...head, data: none, le: 65537 }],
    ['data above 65535 bytes', { ...head, data: new Uint8Array(65536) }],
  ])('refuses %s with CARD_APDU_INVALID', (_name, command) => {
    expect(() => encodeCommandApdu(command)).toThrow(GatewayError);
    try {
      encodeCommandApdu(command);
    } catch (error) {
      expect(isGatewayError(error, 'CARD_APDU_INVALID')).toBe(true);
    }
  });

  it.each(['00B001', '00B0010203AA', '00B00102000003AABB', '00B001020000', '00B00102000000AA'])('refuses the malformed APDU %s with CARD_APDU_INVALID', (raw) => {
    try {
      decodeCommandApdu(bytes(raw));
      expect.unreachable();
    } catch (error) {
      expect(isGatewayError(error, 'CARD_APDU_INVALID')).toBe(true);
    }
  });

  it('reads the length bytes 00 as 256 (short Le) and 0000 as 65536 (extended Le)', () => {
    expect(decodeCommandApdu(bytes('00B0000000'))).toMatchObject({ le: 256, extended: false });
    expect(decodeCommandApdu(bytes('00B00000 01 AA 00'))).toMatchObject({ le: 256, extended: false });
    expect(decodeCommandApdu(bytes('00B00000 00 0000'))).toMatchObject({ le: 65536, extended: true });
    expect(decodeCommandApdu(bytes('00B00000 00 0001 AA 0000'))).toMatchObject({ le: 65536, extended: true });
    expect(hex(encodeCommandApdu({ ...head, data: bytes('AA'), le: 65536 }))).toBe('00B00102000001AA0000');
  });
});

const commandArbitrary = fc.record({
  cla: fc.integer({ min: 0, max: 255 }),
  ins: fc.integer({ min: 0, max: 255 }),
  p1: fc.integer({ min: 0, max: 255 }),
  p2: fc.integer({ min: 0, max: 255 }),
  data: fc.uint8Array({ maxLength: 600 }),
  le: fc.option(fc.integer({ min: 1, max: 65536 }), { nil: undefined }),
  extended: fc.boolean(),
});

describe('command APDU properties', () => {
  it('decodes what it encodes', () => {
    fc.assert(fc.property(commandArbitrary, (command) => {
      const encoded = encodeCommandApdu(command);
      const decoded = decodeCommandApdu(encoded);
      expect(decoded.data).toEqual(command.data);
      expect(decoded.le).toBe(command.le);
      expect([decoded.cla, decoded.ins, decoded.p1, decoded.p2]).toEqual([command.cla, command.ins, command.p1, command.p2]);
      expect(encodeCommandApdu(decoded)).toEqual(encoded);
    }));
  });

  it('throws nothing but GatewayError on random or truncated bytes', () => {
    const truncated = commandArbitrary.chain((command) => {
      const encoded = encodeCommandApdu(command);
      return fc.integer({ min: 0, max: encoded.length }).map((n) => encoded.slice(0, n));
    });
    fc.assert(fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), truncated), (raw) => {
      try {
        const decoded = decodeCommandApdu(raw);
        expect(encodeCommandApdu(decoded)).toEqual(raw);
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError);
      }
    }));
  });
});

describe('response APDU', () => {
  it('splits data and status word', () => {
    const response = decodeResponseApdu(bytes('0102039000'));
    expect(response.data).toEqual(bytes('010203'));
    expect(response.sw).toBe(0x9000);
    expect([response.sw1, response.sw2]).toEqual([0x90, 0x00]);
  });

  it('refuses a response shorter than the status word', () => {
    for (const raw of ['', '90']) {
      try {
        decodeResponseApdu(bytes(raw));
        expect.unreachable();
      } catch (error) {
        expect(isGatewayError(error, 'CARD_RESPONSE_MALFORMED')).toBe(true);
      }
    }
  });

  it('round-trips any data and status word', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffff }), (data, sw) => {
      const decoded = decodeResponseApdu(encodeResponseApdu(data, sw));
      expect(decoded.data).toEqual(data);
      expect(decoded.sw).toBe(sw);
    }));
  });
});
