import iconv from 'iconv-lite';
import type { FieldDialect } from './FieldDialect.js';

/** Text fields are padded with 00 on every layer when written. */
function pad(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(bytes, 0);
  return out;
}

/** The text part of a padded field, by the dialect's `textEndsAt` / `textAfterEnd`. */
function unpadded(bytes: Uint8Array, field: string, dialect: FieldDialect): Uint8Array {
  const end = bytes.findIndex((b) => dialect.textEndsAt.includes(b));
  if (end === -1) return bytes;
  if (dialect.textAfterEnd === 'must-be-padding' && bytes.subarray(end).some((b) => b !== bytes[end])) {
    throw dialect.malformed(field, 'has bytes after its padding');
  }
  return bytes.subarray(0, end);
}

/** GBK bytes of `text`, refused when they hold a NUL, cannot round-trip or exceed `max` bytes. */
export function gbkBytes(text: string, max: number, field: string, dialect: FieldDialect): Uint8Array {
  if (text.includes('\0')) throw dialect.invalid(field, 'NUL is not allowed in text');
  const bytes = iconv.encode(text, 'gbk');
  if (iconv.decode(bytes, 'gbk') !== text) throw dialect.invalid(field, 'has characters that GBK cannot hold');
  if (bytes.length > max) throw dialect.invalid(field, `is ${bytes.length} bytes in GBK, at most ${max}`);
  return Uint8Array.from(bytes);
}

/** GBK text padded with 00 to `size` bytes. */
export function encodeGbk(text: string, size: number, field: string, dialect: FieldDialect): Uint8Array {
  return pad(gbkBytes(text, size, field, dialect), size);
}

export function decodeGbk(bytes: Uint8Array, field: string, dialect: FieldDialect): string {
  return iconv.decode(Buffer.from(unpadded(bytes, field, dialect)), 'gbk');
}

/** Printable ASCII padded with 00. */
export function encodeAscii(text: string, size: number, field: string, dialect: FieldDialect): Uint8Array {
  if (!/^[\x20-\x7e]*$/.test(text)) throw dialect.invalid(field, 'only printable ASCII is allowed');
  if (text.length > size) throw dialect.invalid(field, `at most ${size} characters`);
  return pad(Uint8Array.from(text, (c) => c.charCodeAt(0)), size);
}

export function decodeAscii(bytes: Uint8Array, field: string, dialect: FieldDialect): string {
  const text = unpadded(bytes, field, dialect);
  for (const byte of text) {
    if (byte < 0x20 || byte > 0x7e) throw dialect.malformed(field, `byte ${byte.toString(16).padStart(2, '0')} is not printable ASCII`);
  }
  return String.fromCharCode(...text);
}
