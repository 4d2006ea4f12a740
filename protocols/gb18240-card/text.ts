import * as codec from '../codec/index.js';
import { cardFields } from './cardFields.js';

/** The codec stack's GBK and ASCII helpers bound to the card's rules (see cardFields). */
const card = cardFields();

/** GBK text padded with 00 to `size` bytes (taxpayer and tax item names). */
export const encodeGbk = (text: string, size: number, field: string): Uint8Array => codec.encodeGbk(text, size, field, card);
export const decodeGbk = (bytes: Uint8Array, field = 'text'): string => codec.decodeGbk(bytes, field, card);
/** Printable ASCII padded with 00 (the 20-character taxpayer identification number). */
export const encodeAscii = (text: string, size: number, field: string): Uint8Array => codec.encodeAscii(text, size, field, card);
export const decodeAscii = (bytes: Uint8Array, field: string): string => codec.decodeAscii(bytes, field, card);
