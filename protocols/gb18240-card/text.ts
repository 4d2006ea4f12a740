import iconv from 'iconv-lite';
import { invalidValue, malformedResponse } from './fieldErrors.js';

function pad(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes, 0);
  return out;
}

/** The bytes before the first 00 (or FF, the erased value of EEPROM). */
function unpadded(bytes: Uint8Array): Uint8Array {
  const end = bytes.findIndex((b) => b === 0x00 || b === 0xff);
  return end === -1 ? bytes : bytes.subarray(0, end);
}

/** GBK text padded with 00 to `size` bytes (taxpayer and tax item names). */
export function encodeGbk(text: string, size: number, field: string): Uint8Array {
  if (text.includes('\0')) throw invalidValue(field, 'NUL is not allowed in a name');
  const bytes = iconv.encode(text, 'gbk');
  if (iconv.decode(bytes, 'gbk') !== text) throw invalidValue(field, 'has characters that GBK cannot hold');
  if (bytes.length > size) throw invalidValue(field, `is ${bytes.length} bytes in GBK, at most ${size}`);
  return pad(bytes, size);
}

export function decodeGbk(bytes: Uint8Array): string {
  return iconv.decode(Buffer.from(unpadded(bytes)), 'gbk');
}

/** Printable ASCII padded with 00 (the 20-character taxpayer identification number). */
export function encodeAscii(text: string, size: number, field: string): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw invalidValue(field, 'only printable ASCII is allowed');
  if (text.length > size) throw invalidValue(field, `at most ${size} characters`);
  return pad(Uint8Array.from(text, (c) => c.charCodeAt(0)), size);
}

export function decodeAscii(bytes: Uint8Array, field: string): string {
  const text = unpadded(bytes);
  for (const byte of text) {
    if (byte < 0x20 || byte > 0x7e) {
      throw malformedResponse(`${field}: byte ${byte.toString(16).padStart(2, '0')} is not printable ASCII`);
    }
  }
  return String.fromCharCode(...text);
}
