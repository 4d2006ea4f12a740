import { isIsoDate, isIsoDateTime, type IsoDate, type IsoDateTime } from './calendar.js';
import type { FieldDialect } from './FieldDialect.js';

/** Packs decimal digits two per byte, high nibble first, into `size` bytes (short values: `bcdShortValue`). */
export function encodeBcd(digits: string, size: number, field: string, dialect: FieldDialect): Uint8Array {
  if (!/^\d*$/.test(digits)) throw dialect.invalid(field, 'only decimal digits are allowed');
  if (digits.length > size * 2) throw dialect.invalid(field, `at most ${size * 2} digits`);
  if (digits.length < size * 2 && dialect.bcdShortValue === 'refuse') throw dialect.invalid(field, `must be ${size * 2} digits`);
  const padded = digits.padStart(size * 2, '0');
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return bytes;
}

/** Unpacks BCD into exactly `2 × length` digits; a nibble above 9 is malformed on every layer. */
export function decodeBcd(bytes: Uint8Array, field: string, dialect: FieldDialect): string {
  let digits = '';
  for (const byte of bytes) {
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) throw dialect.malformed(field, `byte ${byte.toString(16).padStart(2, '0')} is not BCD`);
    digits += String(high) + String(low);
  }
  return digits;
}

/** `YYYY-MM-DD` as 4-byte BCD `CCYYMMDD`. */
export function encodeBcdDate(date: IsoDate, field: string, dialect: FieldDialect): Uint8Array {
  if (!isIsoDate(date)) throw dialect.invalid(field, `"${date}" is not a YYYY-MM-DD date`);
  return encodeBcd(date.replaceAll('-', ''), 4, field, dialect);
}

export function decodeBcdDate(bytes: Uint8Array, field: string, dialect: FieldDialect): IsoDate {
  const digits = decodeBcd(bytes, field, dialect);
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (!isIsoDate(date)) throw dialect.malformed(field, `${digits} is not a CCYYMMDD date`);
  return date;
}

/** A nullable date: any of the dialect's `blankDateFills` repeated four times is no date. */
export function decodeOptionalBcdDate(bytes: Uint8Array, field: string, dialect: FieldDialect): IsoDate | null {
  if (dialect.blankDateFills.some((fill) => bytes.every((b) => b === fill))) return null;
  return decodeBcdDate(bytes, field, dialect);
}

export function encodeOptionalBcdDate(date: IsoDate | null, field: string, dialect: FieldDialect): Uint8Array {
  return date === null ? new Uint8Array(4) : encodeBcdDate(date, field, dialect);
}

/** `YYYY-MM-DDTHH:mm:ss` as 7-byte BCD `CCYYMMDDhhmmss`. */
export function encodeBcdDateTime(value: IsoDateTime, field: string, dialect: FieldDialect): Uint8Array {
  if (!isIsoDateTime(value)) throw dialect.invalid(field, `"${value}" is not a YYYY-MM-DDTHH:mm:ss date-time`);
  return encodeBcd(value.replace(/[-T:]/g, ''), 7, field, dialect);
}

export function decodeBcdDateTime(bytes: Uint8Array, field: string, dialect: FieldDialect): IsoDateTime {
  const d = decodeBcd(bytes, field, dialect);
  const value = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}`;
  if (!isIsoDateTime(value)) throw dialect.malformed(field, `${d} is not a CCYYMMDDhhmmss date-time`);
  return value;
}
