import iconv from 'iconv-lite';
import { GatewayError } from '../../contracts/errors/index.js';

/**
 * Field encodings shared by every GB-link payload (SPEC.md §4.1), the same as the card
 * layer's (GB18240.md): big-endian integers, BCD digits, BCD dates CCYYMMDD, date-times
 * CCYYMMDDhhmmss, amounts in fen as uint32, GBK names padded with 0x00.
 * protocols/gb18240-card was not committed when this was written, so these helpers are local.
 */

/** A calendar date as `YYYY-MM-DD`; `null` on the wire is 00000000 (no date). */
export type LinkDate = string;
/** A register-local date-time as `YYYY-MM-DDTHH:mm:ss` (registers keep no time zone). */
export type LinkDateTime = string;

export function payloadError(command: number, detail: string): GatewayError {
  return new GatewayError('LINK_PAYLOAD_INVALID', { params: { command: command.toString(16).padStart(2, '0').toUpperCase(), detail } });
}

function validCalendar(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/;

export function isLinkDate(value: string): boolean {
  const m = datePattern.exec(value);
  return m !== null && validCalendar(+m[1]!, +m[2]!, +m[3]!);
}

export function isLinkDateTime(value: string): boolean {
  const m = dateTimePattern.exec(value);
  return m !== null && validCalendar(+m[1]!, +m[2]!, +m[3]!) && +m[4]! < 24 && +m[5]! < 60 && +m[6]! < 60;
}

export class ByteWriter {
  private readonly bytes: number[] = [];

  constructor(private readonly command: number) {}

  private fail(detail: string): never {
    throw payloadError(this.command, detail);
  }

  u8(value: number, what = 'u8'): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xff) this.fail(`${what} ${value} out of range`);
    this.bytes.push(value);
    return this;
  }

  u16(value: number, what = 'u16'): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffff) this.fail(`${what} ${value} out of range`);
    this.bytes.push(value >> 8, value & 0xff);
    return this;
  }

  u32(value: number, what = 'u32'): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) this.fail(`${what} ${value} out of range`);
    this.bytes.push((value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff);
    return this;
  }

  raw(value: Uint8Array, length?: number, what = 'bytes'): this {
    if (length !== undefined && value.length !== length) this.fail(`${what} must be ${length} bytes, got ${value.length}`);
    for (const b of value) this.bytes.push(b);
    return this;
  }

  /** `digits` decimal digits packed two per byte, high nibble first. */
  bcd(digits: string, byteLength: number, what = 'BCD'): this {
    if (!/^\d*$/.test(digits) || digits.length !== byteLength * 2) this.fail(`${what} must be ${byteLength * 2} digits`);
    for (let i = 0; i < digits.length; i += 2) this.bytes.push((+digits[i]! << 4) | +digits[i + 1]!);
    return this;
  }

  date(value: LinkDate | null, what = 'date'): this {
    if (value === null) return this.raw(new Uint8Array(4));
    if (!isLinkDate(value)) this.fail(`${what} "${value}" is not a YYYY-MM-DD date`);
    return this.bcd(value.replaceAll('-', ''), 4, what);
  }

  dateTime(value: LinkDateTime, what = 'date-time'): this {
    if (!isLinkDateTime(value)) this.fail(`${what} "${value}" is not a YYYY-MM-DDTHH:mm:ss date-time`);
    return this.bcd(value.replace(/[-T:]/g, ''), 7, what);
  }

  /** GBK text, padded with 0x00 to `length` bytes; refused when it does not fit. */
  gbk(text: string, length: number, what = 'text'): this {
    const encoded = iconv.encode(text, 'gbk');
    if (encoded.length > length) this.fail(`${what} is ${encoded.length} bytes in GBK, at most ${length}`);
    if (encoded.includes(0)) this.fail(`${what} contains a NUL`);
    if (iconv.decode(encoded, 'gbk') !== text) this.fail(`${what} has characters GBK cannot hold`);
    this.raw(encoded);
    for (let i = encoded.length; i < length; i++) this.bytes.push(0);
    return this;
  }

  /** GBK text of at most `max` bytes, not padded: for a field that ends the payload. */
  gbkTail(text: string, max: number, what = 'text'): this {
    const encoded = iconv.encode(text, 'gbk');
    if (encoded.length > max) this.fail(`${what} is ${encoded.length} bytes in GBK, at most ${max}`);
    if (encoded.includes(0)) this.fail(`${what} contains a NUL`);
    if (iconv.decode(encoded, 'gbk') !== text) this.fail(`${what} has characters GBK cannot hold`);
    return this.raw(encoded);
  }

  /** Printable ASCII, padded with 0x00. */
  ascii(text: string, length: number, what = 'text'): this {
    if (!/^[\x20-\x7e]*$/.test(text)) this.fail(`${what} must be printable ASCII`);
    if (text.length > length) this.fail(`${what} is longer than ${length}`);
    for (let i = 0; i < length; i++) this.bytes.push(i < text.length ? text.charCodeAt(i) : 0);
    return this;
  }

  /** Version x.y.z as three bytes. */
  version(value: string, what = 'version'): this {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(value);
    if (m === null) this.fail(`${what} "${value}" is not x.y.z`);
    return this.u8(+m[1]!, what).u8(+m[2]!, what).u8(+m[3]!, what);
  }

  bool(value: boolean): this {
    return this.u8(value ? 1 : 0);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export class ByteReader {
  private offset = 0;

  constructor(private readonly bytes: Uint8Array, private readonly command: number) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  fail(detail: string): never {
    throw payloadError(this.command, detail);
  }

  private take(count: number, what: string): Uint8Array {
    if (this.remaining < count) this.fail(`${what} needs ${count} bytes at offset ${this.offset}, ${this.remaining} left`);
    const out = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return out;
  }

  u8(what = 'u8'): number {
    return this.take(1, what)[0]!;
  }

  u16(what = 'u16'): number {
    const b = this.take(2, what);
    return (b[0]! << 8) | b[1]!;
  }

  u32(what = 'u32'): number {
    const b = this.take(4, what);
    return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
  }

  raw(count: number, what = 'bytes'): Uint8Array<ArrayBuffer> {
    return Uint8Array.from(this.take(count, what));
  }

  rest(): Uint8Array<ArrayBuffer> {
    return this.raw(this.remaining);
  }

  bcd(byteLength: number, what = 'BCD'): string {
    let digits = '';
    for (const b of this.take(byteLength, what)) {
      const hi = b >> 4;
      const lo = b & 0x0f;
      if (hi > 9 || lo > 9) this.fail(`${what} holds a nibble that is not a decimal digit`);
      digits += `${hi}${lo}`;
    }
    return digits;
  }

  date(what = 'date'): LinkDate | null {
    const digits = this.bcd(4, what);
    if (digits === '00000000') return null;
    const value = `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}`;
    if (!isLinkDate(value)) this.fail(`${what} ${digits} is not a calendar date`);
    return value;
  }

  requiredDate(what = 'date'): LinkDate {
    const value = this.date(what);
    if (value === null) this.fail(`${what} is missing`);
    return value;
  }

  dateTime(what = 'date-time'): LinkDateTime {
    const d = this.bcd(7, what);
    const value = `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}T${d.slice(8, 10)}:${d.slice(10, 12)}:${d.slice(12, 14)}`;
    if (!isLinkDateTime(value)) this.fail(`${what} ${d} is not a date-time`);
    return value;
  }

  gbk(length: number, what = 'text'): string {
    const field = this.take(length, what);
    const end = field.indexOf(0);
    const text = field.subarray(0, end < 0 ? length : end);
    if (end >= 0 && field.subarray(end).some((b) => b !== 0)) this.fail(`${what} has bytes after its NUL padding`);
    return iconv.decode(Buffer.from(text), 'gbk');
  }

  ascii(length: number, what = 'text'): string {
    const text = this.gbk(length, what);
    if (!/^[\x20-\x7e]*$/.test(text)) this.fail(`${what} is not printable ASCII`);
    return text;
  }

  version(what = 'version'): string {
    return `${this.u8(what)}.${this.u8(what)}.${this.u8(what)}`;
  }

  bool(what = 'flag'): boolean {
    const b = this.u8(what);
    if (b > 1) this.fail(`${what} must be 00 or 01, got ${b}`);
    return b === 1;
  }

  /** Every payload is decoded whole: trailing bytes mean the layouts disagree. */
  end(): void {
    if (this.remaining !== 0) this.fail(`${this.remaining} unexpected trailing bytes`);
  }
}
