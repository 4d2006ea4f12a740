import { GatewayError } from '../../contracts/errors/index.js';

/**
 * The 8-byte fiscal code (税控码) that ISSUE_INVOICE returns is printed on the invoice as 20
 * digits: two big-endian uint32, each written as 10 decimal digits with leading zeros.
 */
export function formatFiscalCode(bytes: Uint8Array): string {
  if (bytes.length !== 8) {
    throw new GatewayError('CARD_VALUE_INVALID', { params: { field: 'fiscalCode', detail: `must be 8 bytes, got ${bytes.length}` } });
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
  return String(view.getUint32(0)).padStart(10, '0') + String(view.getUint32(4)).padStart(10, '0');
}

export function parseFiscalCode(digits: string): Uint8Array {
  const invalid = (detail: string) => new GatewayError('CARD_VALUE_INVALID', { params: { field: 'fiscalCode', detail } });
  if (!/^\d{20}$/.test(digits)) throw invalid('must be 20 decimal digits');
  const high = Number(digits.slice(0, 10));
  const low = Number(digits.slice(10));
  if (high > 0xffffffff || low > 0xffffffff) throw invalid('each half must fit an unsigned 32-bit integer');
  const bytes = new Uint8Array(8);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, high);
  view.setUint32(4, low);
  return bytes;
}
