import { invalidValue } from './fieldErrors.js';

/** The fiscal code (税控码) ISSUE_INVOICE answers: 8 bytes. */
export const FISCAL_CODE_SIZE = 8;

/**
 * The 8-byte fiscal code (税控码) that ISSUE_INVOICE returns is printed on the invoice as 20
 * digits: two big-endian uint32, each written as 10 decimal digits with leading zeros.
 */
export function formatFiscalCode(bytes: Uint8Array): string {
  if (bytes.length !== FISCAL_CODE_SIZE) {
    throw invalidValue('fiscalCode', `must be ${FISCAL_CODE_SIZE} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return String(view.getUint32(0)).padStart(10, '0') + String(view.getUint32(4)).padStart(10, '0');
}

export function parseFiscalCode(digits: string): Uint8Array {
  if (!/^\d{20}$/.test(digits)) throw invalidValue('fiscalCode', 'must be 20 decimal digits');
  const high = Number(digits.slice(0, 10));
  const low = Number(digits.slice(10));
  if (high > 0xffffffff || low > 0xffffffff) throw invalidValue('fiscalCode', 'each half must fit an unsigned 32-bit integer');
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, high);
  view.setUint32(4, low);
  return bytes;
}
