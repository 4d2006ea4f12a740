import { decodeBcd, decodeBcdDate, decodeBcdDateTime, decodeOptionalBcdDate } from './bcd.js';
import type { IsoDate, IsoDateTime } from './calendar.js';
import type { FieldDialect } from './FieldDialect.js';
import { decodeAscii, decodeGbk } from './text.js';

/**
 * Reads big-endian fields in order by one layer's dialect; running short, a bad nibble or a
 * bad date is the dialect's `malformed` error naming the field.
 */
export class FieldReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    protected readonly dialect: FieldDialect,
  ) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** The dialect's malformed error for a field (or, with no field, the whole payload); for a layout's own checks. */
  fail(detail: string, field = ''): never {
    throw this.dialect.malformed(field, detail);
  }

  private take(count: number, field: string): Uint8Array {
    if (this.remaining < count) this.fail(`needs ${count} bytes at offset ${this.offset}, only ${this.remaining} left`, field);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  /** A copy of the next `count` bytes. */
  raw(count: number, field = 'bytes'): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.take(count, field));
  }

  bytesOf(count: number, field: string): Uint8Array<ArrayBuffer> {
    return this.raw(count, field);
  }

  rest(): Uint8Array<ArrayBuffer> {
    return this.raw(this.remaining);
  }

  u8(field = 'u8'): number {
    return this.take(1, field)[0]!;
  }

  u16(field = 'u16'): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  u32(field = 'u32'): number {
    const b = this.take(4, field);
    return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  bcd(size: number, field = 'BCD'): string {
    return decodeBcd(this.take(size, field), field, this.dialect);
  }

  requiredDate(field = 'date'): IsoDate {
    return decodeBcdDate(this.take(4, field), field, this.dialect);
  }

  optionalDate(field = 'date'): IsoDate | null {
    return decodeOptionalBcdDate(this.take(4, field), field, this.dialect);
  }

  dateTime(field = 'date-time'): IsoDateTime {
    return decodeBcdDateTime(this.take(7, field), field, this.dialect);
  }

  gbk(size: number, field = 'text'): string {
    return decodeGbk(this.take(size, field), field, this.dialect);
  }

  ascii(size: number, field = 'text'): string {
    return decodeAscii(this.take(size, field), field, this.dialect);
  }

  /** Version x.y.z as three bytes. */
  version(field = 'version'): string {
    return `${this.u8(field)}.${this.u8(field)}.${this.u8(field)}`;
  }

  /** 00 / 01; anything else is malformed. */
  bool(field = 'flag'): boolean {
    const b = this.u8(field);
    if (b > 1) this.fail(`must be 00 or 01, got ${b}`, field);
    return b === 1;
  }

  /** Every payload is decoded whole: bytes left over mean the layouts disagree. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected bytes after offset ${this.offset}`);
  }
}
