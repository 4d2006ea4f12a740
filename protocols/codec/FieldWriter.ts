import { encodeBcd, encodeBcdDate, encodeBcdDateTime, encodeOptionalBcdDate } from './bcd.js';
import type { IsoDate, IsoDateTime } from './calendar.js';
import type { FieldDialect } from './FieldDialect.js';
import { encodeAscii, encodeGbk, gbkBytes } from './text.js';

/** Writes big-endian fields in order by one layer's dialect, validating each value against its field. */
export class FieldWriter {
  /** Small fields byte by byte; `raw` blocks are kept whole (a 64 KiB firmware block is not 64 Ki numbers on the heap). */
  private parts: number[] = [];
  private readonly chunks: Uint8Array[] = [];
  private chunked = 0;

  constructor(protected readonly dialect: FieldDialect) {}

  get length(): number {
    return this.chunked + this.parts.length;
  }

  private flushParts(): void {
    if (this.parts.length === 0) return;
    this.chunks.push(Uint8Array.from(this.parts));
    this.chunked += this.parts.length;
    this.parts = [];
  }

  private unsigned(value: number, bits: 8 | 16 | 32, field: string): void {
    if (!Number.isInteger(value) || value < 0 || value > 2 ** bits - 1) {
      throw this.dialect.invalid(field, `${value} is not an unsigned ${bits}-bit integer`);
    }
  }

  /** The bytes as they are; with `size`, refused unless exactly that long. */
  raw(bytes: Uint8Array, size?: number, field = 'bytes'): this {
    if (size !== undefined && bytes.length !== size) throw this.dialect.invalid(field, `must be ${size} bytes, got ${bytes.length}`);
    if (bytes.length < 64) {
      for (const b of bytes) this.parts.push(b);
      return this;
    }
    this.flushParts();
    // A copy: the caller may change its array after the call.
    this.chunks.push(Uint8Array.from(bytes));
    this.chunked += bytes.length;
    return this;
  }

  fixed(bytes: Uint8Array, size: number, field: string): this {
    return this.raw(bytes, size, field);
  }

  u8(value: number, field = 'u8'): this {
    this.unsigned(value, 8, field);
    this.parts.push(value);
    return this;
  }

  u16(value: number, field = 'u16'): this {
    this.unsigned(value, 16, field);
    this.parts.push(value >> 8, value & 0xff);
    return this;
  }

  u32(value: number, field = 'u32'): this {
    this.unsigned(value, 32, field);
    this.parts.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  bcd(digits: string, size: number, field = 'BCD'): this {
    return this.raw(encodeBcd(digits, size, field, this.dialect));
  }

  requiredDate(date: IsoDate, field = 'date'): this {
    return this.raw(encodeBcdDate(date, field, this.dialect));
  }

  optionalDate(date: IsoDate | null, field = 'date'): this {
    return this.raw(encodeOptionalBcdDate(date, field, this.dialect));
  }

  dateTime(value: IsoDateTime, field = 'date-time'): this {
    return this.raw(encodeBcdDateTime(value, field, this.dialect));
  }

  /** GBK text padded with 00 to `size` bytes; refused when it does not fit. */
  gbk(text: string, size: number, field = 'text'): this {
    return this.raw(encodeGbk(text, size, field, this.dialect));
  }

  /** GBK text of at most `max` bytes, not padded: for a field that ends the payload. */
  gbkTail(text: string, max: number, field = 'text'): this {
    return this.raw(gbkBytes(text, max, field, this.dialect));
  }

  ascii(text: string, size: number, field = 'text'): this {
    return this.raw(encodeAscii(text, size, field, this.dialect));
  }

  /** Version x.y.z as three bytes. */
  version(value: string, field = 'version'): this {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
    if (m === null) throw this.dialect.invalid(field, `"${value}" is not x.y.z`);
    return this.u8(+m[1]!, field).u8(+m[2]!, field).u8(+m[3]!, field);
  }

  bool(value: boolean, field = 'flag'): this {
    return this.u8(value ? 1 : 0, field);
  }

  toBytes(): Uint8Array {
    if (this.chunks.length === 0) return Uint8Array.from(this.parts);
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, at);
      at += chunk.length;
    }
    out.set(this.parts, at);
    return out;
  }
}
