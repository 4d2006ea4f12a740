import { malformedResponse } from './fieldErrors.js';
import { decodeBcd, decodeBcdDate, decodeOptionalBcdDate, type IsoDate } from './bcd.js';
import { decodeAscii, decodeGbk } from './text.js';

/** Reads big-endian card fields in order; running short is a CARD_RESPONSE_MALFORMED naming the layout. */
export class ByteReader {
  private offset = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly layout: string,
  ) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  bytesOf(length: number, field: string): Uint8Array {
    if (this.remaining < length) {
      throw malformedResponse(`${this.layout}.${field} needs ${length} bytes at offset ${this.offset}, only ${this.remaining} left`);
    }
    const slice = this.bytes.slice(this.offset, this.offset + length);
    this.offset += length;
    return slice;
  }

  u8(field: string): number {
    return this.bytesOf(1, field)[0]!;
  }

  u16(field: string): number {
    const b = this.bytesOf(2, field);
    return (b[0]! << 8) | b[1]!;
  }

  u32(field: string): number {
    const b = this.bytesOf(4, field);
    return ((b[0]! << 24) >>> 0) + ((b[1]! << 16) | (b[2]! << 8) | b[3]!);
  }

  bcd(size: number, field: string): string {
    return decodeBcd(this.bytesOf(size, field), `${this.layout}.${field}`);
  }

  date(field: string): IsoDate {
    return decodeBcdDate(this.bytesOf(4, field), `${this.layout}.${field}`);
  }

  optionalDate(field: string): IsoDate | null {
    return decodeOptionalBcdDate(this.bytesOf(4, field), `${this.layout}.${field}`);
  }

  gbk(size: number, field: string): string {
    return decodeGbk(this.bytesOf(size, field));
  }

  ascii(size: number, field: string): string {
    return decodeAscii(this.bytesOf(size, field), `${this.layout}.${field}`);
  }

  /** Throws when bytes are left over: for command responses, whose length is fixed. */
  end(): void {
    if (this.remaining !== 0) {
      throw malformedResponse(`${this.layout} has ${this.remaining} unexpected bytes after offset ${this.offset}`);
    }
  }
}
