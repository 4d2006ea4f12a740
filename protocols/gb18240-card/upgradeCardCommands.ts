import type { CommandApdu } from '../apdu/CommandApdu.js';
import { invalidValue, malformedResponse } from './fieldErrors.js';
import { UPGRADE_AREA_FID } from './upgradeCardLayout.js';

/**
 * The APDUs of the upgrade card (SPEC.md §8.3): UPDATE BINARY and READ BINARY with odd INS (D7 / B1, ISO 7816-4
 * §11.3), because the upgrade area is larger than the 32767 bytes an even-INS offset reaches. The command data is
 * BER-TLV: offset data object `54` (3 bytes) and, for a write, discretionary data `53` holding the bytes; the read
 * answer is `53` with the bytes. P1-P2 name EF01 by its FID, so no SELECT of the EF is needed. Pure.
 */

const OFFSET_TAG = 0x54;
const DATA_TAG = 0x53;
/** `54 03 oo oo oo`. */
const OFFSET_DO_SIZE = 5;
export const MAX_UPGRADE_AREA_OFFSET = 0xff_ffff;
/** Short APDU: at most 255 data bytes (Lc) and 256 answer bytes (Le 00). */
export const SHORT_MAX_DATA = 255;
export const SHORT_MAX_ANSWER = 256;

/** Bytes the BER length of `n` takes (1, `81 nn` 2, `82 nn nn` 3). */
function berLengthSize(n: number): number {
  return n < 0x80 ? 1 : n < 0x100 ? 2 : 3;
}

function berLength(n: number): number[] {
  if (n < 0x80) return [n];
  if (n < 0x100) return [0x81, n];
  return [0x82, n >> 8, n & 0xff];
}

/** The most data bytes a `53` object can carry inside `room` bytes (tag, length and value). */
export function dataRoomIn(room: number): number {
  let n = room - 2;
  while (n > 0 && 1 + berLengthSize(n) + n > room) n -= 1;
  return Math.max(0, Math.min(n, 0xffff));
}

/** Command and answer size limits of one card through one reader: what the transfer may put in one APDU. */
export interface ApduLimits {
  /** Most bytes in a command data field (Nc): 255 short, up to 65535 extended. */
  readonly maxCommandData: number;
  /** Most bytes in an answer data field (Ne): 256 short, up to 65536 extended. */
  readonly maxAnswerData: number;
  readonly extended: boolean;
}

export const SHORT_APDU_LIMITS: ApduLimits = { maxCommandData: SHORT_MAX_DATA, maxAnswerData: SHORT_MAX_ANSWER, extended: false };

/** Payload bytes one UPDATE BINARY carries within `limits` (247 for a short APDU). */
export function writeChunkSize(limits: ApduLimits): number {
  return dataRoomIn(limits.maxCommandData - OFFSET_DO_SIZE);
}

/** Payload bytes one READ BINARY answers within `limits` (253 for a short APDU). */
export function readChunkSize(limits: ApduLimits): number {
  return dataRoomIn(limits.maxAnswerData);
}

function offsetObject(offset: number): number[] {
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_UPGRADE_AREA_OFFSET) throw invalidValue('offset', `must be 0…${MAX_UPGRADE_AREA_OFFSET}`);
  return [OFFSET_TAG, 3, offset >> 16, (offset >> 8) & 0xff, offset & 0xff];
}

/** UPDATE BINARY (odd INS D7) of EF01 at `offset`: `54 03 offset ‖ 53 L data`. Extended when `limits` say so and the data needs it. */
export function updateUpgradeArea(offset: number, data: Uint8Array, limits: ApduLimits): CommandApdu {
  if (data.length === 0) throw invalidValue('data', 'UPDATE BINARY needs data');
  if (data.length > writeChunkSize(limits)) throw invalidValue('data', `${data.length} bytes, at most ${writeChunkSize(limits)} in one APDU`);
  const body = Uint8Array.from([...offsetObject(offset), DATA_TAG, ...berLength(data.length), ...data]);
  return { cla: 0x00, ins: 0xd7, p1: UPGRADE_AREA_FID >> 8, p2: UPGRADE_AREA_FID & 0xff, data: body, ...(limits.extended ? { extended: true } : {}) };
}

/** READ BINARY (odd INS B1) of `length` bytes of EF01 at `offset`; Le leaves room for the `53` object around them. */
export function readUpgradeArea(offset: number, length: number, limits: ApduLimits): CommandApdu {
  if (!Number.isInteger(length) || length < 1 || length > readChunkSize(limits)) throw invalidValue('length', `must be 1…${readChunkSize(limits)}`);
  const le = 1 + berLengthSize(length) + length;
  return { cla: 0x00, ins: 0xb1, p1: UPGRADE_AREA_FID >> 8, p2: UPGRADE_AREA_FID & 0xff, data: Uint8Array.from(offsetObject(offset)), le, ...(limits.extended ? { extended: true } : {}) };
}

interface Tlv {
  readonly tag: number;
  readonly value: Uint8Array;
  readonly end: number;
}

function readTlv(bytes: Uint8Array, at: number): Tlv | undefined {
  const tag = bytes[at];
  const first = bytes[at + 1];
  if (tag === undefined || first === undefined) return undefined;
  let length: number;
  let head: number;
  if (first < 0x80) [length, head] = [first, 2];
  else if (first === 0x81 && bytes[at + 2] !== undefined) [length, head] = [bytes[at + 2]!, 3];
  else if (first === 0x82 && bytes[at + 3] !== undefined) [length, head] = [(bytes[at + 2]! << 8) | bytes[at + 3]!, 4];
  else return undefined;
  if (at + head + length > bytes.length) return undefined;
  return { tag, value: bytes.subarray(at + head, at + head + length), end: at + head + length };
}

/** The bytes of a READ BINARY (B1) answer: one `53` object and nothing else. */
export function decodeUpgradeAreaAnswer(answer: Uint8Array): Uint8Array {
  const tlv = readTlv(answer, 0);
  if (tlv === undefined || tlv.tag !== DATA_TAG || tlv.end !== answer.length) throw malformedResponse('a READ BINARY (B1) answer is one 53 data object');
  return tlv.value;
}

/** What the card makes of an odd-INS command's data field (the virtual card's side). */
export type UpgradeAreaRequest =
  | { readonly ok: true; readonly offset: number; readonly data: Uint8Array | undefined }
  | { readonly ok: false };

/** Parses `54 offset [53 data]`; anything else is not a request (a card answers 6A80). */
export function decodeUpgradeAreaRequest(field: Uint8Array): UpgradeAreaRequest {
  const offsetTlv = readTlv(field, 0);
  if (offsetTlv === undefined || offsetTlv.tag !== OFFSET_TAG || offsetTlv.value.length < 1 || offsetTlv.value.length > 3) return { ok: false };
  const offset = offsetTlv.value.reduce((n, b) => n * 256 + b, 0);
  if (offsetTlv.end === field.length) return { ok: true, offset, data: undefined };
  const dataTlv = readTlv(field, offsetTlv.end);
  if (dataTlv === undefined || dataTlv.tag !== DATA_TAG || dataTlv.end !== field.length) return { ok: false };
  return { ok: true, offset, data: dataTlv.value };
}

/** A read answer as the card builds it. */
export function encodeUpgradeAreaAnswer(data: Uint8Array): Uint8Array {
  return Uint8Array.from([DATA_TAG, ...berLength(data.length), ...data]);
}
