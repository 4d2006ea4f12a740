import { encodeBcd, encodeBcdDate, encodeOptionalBcdDate, type IsoDate } from './bcd.js';
import { invalidValue } from './fieldErrors.js';
import { encodeAscii, encodeGbk } from './text.js';

function checkUnsigned(value: number, bits: 8 | 16 | 32, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > 2 ** bits - 1) {
    throw invalidValue(field, `${value} is not an unsigned ${bits}-bit integer`);
  }
}

/** Writes big-endian card fields in order, validating each value against its field. */
export class ByteWriter {
  private readonly parts: number[] = [];

  get length(): number {
    return this.parts.length;
  }

  raw(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  fixed(bytes: Uint8Array, size: number, field: string): this {
    if (bytes.length !== size) throw invalidValue(field, `must be ${size} bytes, got ${bytes.length}`);
    return this.raw(bytes);
  }

  u8(value: number, field: string): this {
    checkUnsigned(value, 8, field);
    this.parts.push(value);
    return this;
  }

  u16(value: number, field: string): this {
    checkUnsigned(value, 16, field);
    this.parts.push(value >> 8, value & 0xff);
    return this;
  }

  u32(value: number, field: string): this {
    checkUnsigned(value, 32, field);
    this.parts.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  bcd(digits: string, size: number, field: string): this {
    return this.raw(encodeBcd(digits, size, field));
  }

  date(date: IsoDate, field: string): this {
    return this.raw(encodeBcdDate(date, field));
  }

  optionalDate(date: IsoDate | null, field: string): this {
    return this.raw(encodeOptionalBcdDate(date, field));
  }

  gbk(text: string, size: number, field: string): this {
    return this.raw(encodeGbk(text, size, field));
  }

  ascii(text: string, size: number, field: string): this {
    return this.raw(encodeAscii(text, size, field));
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
