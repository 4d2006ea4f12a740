import { z } from 'zod';
import { isLinkDate, isLinkDateTime } from '../fields.js';

/** zod pieces for the payload values; each matches one wire encoding of fields.ts. */
export const u8 = z.number().int().min(0).max(0xff);
export const u16 = z.number().int().min(0).max(0xffff);
export const u32 = z.number().int().min(0).max(0xffffffff);
/** Amount in fen (分), uint32 on the wire. */
export const amountFen = u32;
export const digits = (count: number) => z.string().regex(new RegExp(`^\\d{${count}}$`), `${count} decimal digits`);
export const linkDate = z.string().refine(isLinkDate, 'a YYYY-MM-DD date');
export const linkDateTime = z.string().refine(isLinkDateTime, 'a YYYY-MM-DDTHH:mm:ss date-time');
export const version = z.string().regex(/^\d{1,3}\.\d{1,3}\.\d{1,3}$/, 'x.y.z').refine((v) => v.split('.').every((n) => +n <= 255), 'parts ≤ 255');
export const bytes = (length?: number) =>
  z.instanceof(Uint8Array).refine((b) => length === undefined || b.length === length, length === undefined ? 'bytes' : `${length} bytes`);
/** Printable ASCII of at most `max` characters. */
export const ascii = (max: number) => z.string().max(max).regex(/^[\x20-\x7e]*$/, 'printable ASCII');
/** Text for a GBK field; its byte length is checked by the writer. */
export const text = z.string();
/** Six tax indices (税种税目索引) as the fiscal card's EF01 orders them, 0 = unused. */
export const taxIndex = z.array(u8).length(6);
/** Six amounts in fen, in tax-index order. */
export const sixAmounts = z.array(amountFen).length(6);
