import { invalidValue, malformedResponse } from './fieldErrors.js';

/** A calendar date as the gateway shows it, `YYYY-MM-DD`; on the card it is 4-byte BCD `CCYYMMDD`. */
export type IsoDate = string;

/** Packs decimal digits two per byte, left-padded with zeros to `size` bytes. */
export function encodeBcd(digits: string, size: number, field: string): Uint8Array {
  if (!/^\d*$/.test(digits)) throw invalidValue(field, 'only decimal digits are allowed');
  if (digits.length > size * 2) throw invalidValue(field, `at most ${size * 2} digits`);
  const padded = digits.padStart(size * 2, '0');
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 1) bytes[i] = (Number(padded[2 * i]) << 4) | Number(padded[2 * i + 1]);
  return bytes;
}

/** Unpacks BCD into exactly `2 × length` digits; a nibble above 9 is a malformed response. */
export function decodeBcd(bytes: Uint8Array, field: string): string {
  let digits = '';
  for (const byte of bytes) {
    const high = byte >> 4;
    const low = byte & 0x0f;
    if (high > 9 || low > 9) throw malformedResponse(`${field}: byte ${byte.toString(16).padStart(2, '0')} is not BCD`);
    digits += String(high) + String(low);
  }
  return digits;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function isIsoDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  return match !== null && isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

export function encodeBcdDate(date: IsoDate, field: string): Uint8Array {
  if (!isIsoDate(date)) throw invalidValue(field, `"${date}" is not a YYYY-MM-DD date`);
  return encodeBcd(date.replaceAll('-', ''), 4, field);
}

export function decodeBcdDate(bytes: Uint8Array, field: string): IsoDate {
  const digits = decodeBcd(bytes, field);
  const date = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
  if (!isIsoDate(date)) throw malformedResponse(`${field}: ${digits} is not a CCYYMMDD date`);
  return date;
}

/** A date field that a blank card holds as 00000000 or FFFFFFFF. */
export function decodeOptionalBcdDate(bytes: Uint8Array, field: string): IsoDate | null {
  if (bytes.every((b) => b === 0x00) || bytes.every((b) => b === 0xff)) return null;
  return decodeBcdDate(bytes, field);
}

export function encodeOptionalBcdDate(date: IsoDate | null, field: string): Uint8Array {
  return date === null ? new Uint8Array(4) : encodeBcdDate(date, field);
}
