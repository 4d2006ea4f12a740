/**
 * The little of DER that key files and SM2 signatures need: definite lengths, single-byte tags, and nothing
 * accepted that is not the one minimal encoding.
 */

export const DerTag = { integer: 0x02, bitString: 0x03, octetString: 0x04, oid: 0x06, sequence: 0x30 } as const;

export interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
  /** Offset just after this element in the bytes it was read from. */
  readonly end: number;
}

export class DerError extends Error {
  override readonly name = 'DerError';
}

export function readTlv(bytes: Uint8Array, offset = 0): Tlv {
  if (offset + 2 > bytes.length) throw new DerError('truncated element');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let length = bytes[offset + 1]!;
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('indefinite or oversized length');
    if (start + count > bytes.length) throw new DerError('truncated length');
    length = 0;
    for (let i = 0; i < count; i += 1) length = length * 256 + bytes[start + i]!;
    if (length < 0x80 || bytes[start] === 0) throw new DerError('length not in its shortest form');
    start += count;
  }
  const end = start + length;
  if (end > bytes.length) throw new DerError('element runs past the end');
  return { tag, value: bytes.subarray(start, end), end };
}

/** One element that must fill `bytes` exactly, with the expected tag. */
export function readOnly(bytes: Uint8Array, tag: number): Tlv {
  const tlv = readTlv(bytes);
  if (tlv.tag !== tag) throw new DerError(`expected tag 0x${tag.toString(16)}, found 0x${tlv.tag.toString(16)}`);
  if (tlv.end !== bytes.length) throw new DerError('bytes after the element');
  return tlv;
}

/** The elements inside a constructed value. */
export function children(value: Uint8Array): Tlv[] {
  const items: Tlv[] = [];
  let offset = 0;
  while (offset < value.length) {
    const tlv = readTlv(value, offset);
    items.push(tlv);
    offset = tlv.end;
  }
  return items;
}

/** A non-negative INTEGER's magnitude (leading sign byte removed), refusing non-minimal or negative forms. */
export function unsignedInteger(tlv: Tlv): Uint8Array {
  if (tlv.tag !== DerTag.integer) throw new DerError('expected an INTEGER');
  const v = tlv.value;
  if (v.length === 0) throw new DerError('empty INTEGER');
  if (v[0]! & 0x80) throw new DerError('negative INTEGER');
  if (v.length > 1 && v[0] === 0 && !(v[1]! & 0x80)) throw new DerError('INTEGER not in its shortest form');
  return v[0] === 0 && v.length > 1 ? v.subarray(1) : v;
}

function encodeLength(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n % 256);
  return [0x80 | bytes.length, ...bytes];
}

export function encodeTlv(tag: number, value: Uint8Array): Uint8Array {
  return Uint8Array.from([tag, ...encodeLength(value.length), ...value]);
}

/** The minimal INTEGER of an unsigned big-endian magnitude. */
export function encodeUnsignedInteger(magnitude: Uint8Array): Uint8Array {
  let start = 0;
  while (start < magnitude.length - 1 && magnitude[start] === 0) start += 1;
  const trimmed = magnitude.subarray(start);
  return encodeTlv(DerTag.integer, trimmed[0]! & 0x80 ? Uint8Array.from([0, ...trimmed]) : trimmed);
}
