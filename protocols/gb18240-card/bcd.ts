import * as codec from '../codec/index.js';
import { cardFields } from './cardFields.js';

/** The codec stack's BCD and date helpers bound to the card's rules (see cardFields). */
export { isIsoDate, type IsoDate } from '../codec/index.js';

const card = cardFields();

export const encodeBcd = (digits: string, size: number, field: string): Uint8Array => codec.encodeBcd(digits, size, field, card);
export const decodeBcd = (bytes: Uint8Array, field: string): string => codec.decodeBcd(bytes, field, card);
export const encodeBcdDate = (date: codec.IsoDate, field: string): Uint8Array => codec.encodeBcdDate(date, field, card);
export const decodeBcdDate = (bytes: Uint8Array, field: string): codec.IsoDate => codec.decodeBcdDate(bytes, field, card);
/** A date field that a blank card holds as 00000000 or FFFFFFFF. */
export const decodeOptionalBcdDate = (bytes: Uint8Array, field: string): codec.IsoDate | null => codec.decodeOptionalBcdDate(bytes, field, card);
export const encodeOptionalBcdDate = (date: codec.IsoDate | null, field: string): Uint8Array => codec.encodeOptionalBcdDate(date, field, card);
