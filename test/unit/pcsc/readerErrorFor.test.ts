import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../contracts/errors/index.js';
import { PcscLibraryError, ScardCode } from '../../../drivers/pcsc/PcscLibrary.js';
import { loadNativePcscLibrary, parseReaderNames } from '../../../drivers/pcsc/NativePcscLibrary.js';
import { readerErrorFor } from '../../../drivers/pcsc/readerErrorFor.js';

describe('readerErrorFor', () => {
  const cases: [keyof typeof ScardCode, string][] = [
    ['UNKNOWN_READER', 'READER_GONE'],
    ['READER_UNAVAILABLE', 'READER_GONE'],
    ['NO_SMARTCARD', 'CARD_ABSENT'],
    ['REMOVED_CARD', 'CARD_REMOVED'],
    ['SHARING_VIOLATION', 'READER_BUSY'],
    ['RESET_CARD', 'CARD_RESET_ELSEWHERE'],
    ['UNRESPONSIVE_CARD', 'CARD_UNRESPONSIVE'],
    ['UNPOWERED_CARD', 'CARD_UNRESPONSIVE'],
    ['UNSUPPORTED_CARD', 'CARD_UNRESPONSIVE'],
    ['PROTO_MISMATCH', 'CARD_UNRESPONSIVE'],
    ['NOT_TRANSACTED', 'CARD_TRANSACTION_FAILED'],
    ['NO_SERVICE', 'PCSC_UNAVAILABLE'],
    ['SERVICE_STOPPED', 'PCSC_UNAVAILABLE'],
    ['COMM_ERROR', 'PCSC_UNAVAILABLE'],
    ['INVALID_HANDLE', 'PCSC_FAILED'],
    ['TIMEOUT', 'PCSC_FAILED'],
  ];
  for (const [scard, code] of cases) {
    it(`maps SCARD ${scard} to ${code}, naming the reader and the SCARD code`, () => {
      const error = readerErrorFor(new PcscLibraryError('SCardTransmit', ScardCode[scard], `text (${scard})`), 'R 00');
      expect(error.code).toBe(code);
      expect(error.data).toEqual({ reader: 'R 00', operation: 'SCardTransmit', scard: `0x${ScardCode[scard].toString(16).toUpperCase()}` });
      expect(error.localized('zh-CN')).not.toMatch(/\{\w+\}/);
      expect(error.message).not.toMatch(/\{\w+\}/);
    });
  }

  it('keeps a GatewayError as it is and wraps anything else as PCSC_FAILED', () => {
    const original = new GatewayError('CARD_ABSENT', { params: { reader: 'R' } });
    expect(readerErrorFor(original, 'R')).toBe(original);
    const wrapped = readerErrorFor(new TypeError('boom'), 'R');
    expect(wrapped.code).toBe('PCSC_FAILED');
    expect(wrapped.message).toContain('boom');
  });
});

describe('parseReaderNames', () => {
  it('splits the PC/SC multi-string and ignores the empty tail', () => {
    const bytes = Buffer.from('Virtual PCD 00 00\0Virtual PCD 00 01\0\0');
    expect(parseReaderNames(bytes)).toEqual(['Virtual PCD 00 00', 'Virtual PCD 00 01']);
    expect(parseReaderNames(Buffer.from('\0'))).toEqual([]);
    expect(parseReaderNames(new Uint8Array(0))).toEqual([]);
  });
});

describe('loadNativePcscLibrary', () => {
  it('says SUBSYSTEM_UNAVAILABLE, naming PC/SC, when the native module cannot be loaded', async () => {
    const error = await loadNativePcscLibrary('pcsclite-that-is-not-installed').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).code).toBe('SUBSYSTEM_UNAVAILABLE');
    expect((error as GatewayError).message).toContain('PC/SC');
  });

  it('also refuses a module that exports no factory', async () => {
    const error = await loadNativePcscLibrary('node:path').then(() => undefined, (e: unknown) => e);
    expect((error as GatewayError).code).toBe('SUBSYSTEM_UNAVAILABLE');
  });
});
