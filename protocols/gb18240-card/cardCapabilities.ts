import { SHORT_APDU_LIMITS, type ApduLimits } from './upgradeCardCommands.js';

/**
 * What a card says of its APDU sizes (ISO 7816-4:2013 §8.1.1.2.7 and §12.7.1): the historical bytes of its ATR
 * in compact-TLV form (category indicator 80) may hold the card capabilities `7x`, whose third byte says "extended
 * Lc and Le fields" (b7) and "extended length information in EF.ATR/INFO" (b6); EF.ATR/INFO (FID 2F01) may then
 * hold `7F66`, the most bytes a command and an answer APDU may have. Pure, never throws on bad input.
 */

export interface CardCapabilities {
  /** The historical bytes announce extended Lc and Le. */
  readonly extendedLength: boolean;
  /** The historical bytes say EF.ATR/INFO holds the extended length information (7F66). */
  readonly lengthInfoInEfAtr: boolean;
}

const NONE: CardCapabilities = { extendedLength: false, lengthInfoInEfAtr: false };
export const EF_ATR_FID = 0x2f01;
export const EXTENDED_LENGTH_B7 = 0x40;
export const LENGTH_INFO_B6 = 0x20;

/** The historical bytes of an ATR (ISO 7816-3 §8.2), or undefined when the ATR is too short for what T0/TDi announce. */
export function atrHistoricalBytes(atr: Uint8Array): Uint8Array | undefined {
  if (atr.length < 2) return undefined;
  const t0 = atr[1]!;
  const k = t0 & 0x0f;
  let y = t0 >> 4;
  let at = 2;
  for (;;) {
    // TAi, TBi, TCi come first, then TDi, which announces the next group.
    at += (y & 0x1) + ((y >> 1) & 0x1) + ((y >> 2) & 0x1);
    if ((y & 0x8) === 0) break;
    const td = atr[at];
    if (td === undefined) return undefined;
    at += 1;
    y = td >> 4;
  }
  if (at + k > atr.length) return undefined;
  return atr.subarray(at, at + k);
}

/** Reads the card capabilities from the historical bytes; a card that states none can do short APDUs only. */
export function cardCapabilities(atr: Uint8Array): CardCapabilities {
  const historical = atrHistoricalBytes(atr);
  if (historical === undefined || historical[0] !== 0x80) return NONE;
  let at = 1;
  while (at < historical.length) {
    const tag = historical[at]! >> 4;
    const length = historical[at]! & 0x0f;
    if (at + 1 + length > historical.length) return NONE;
    if (tag === 0x7 && length === 3) {
      const third = historical[at + 3]!;
      return { extendedLength: (third & EXTENDED_LENGTH_B7) !== 0, lengthInfoInEfAtr: (third & LENGTH_INFO_B6) !== 0 };
    }
    at += 1 + length;
  }
  return NONE;
}

/** Compact-TLV historical bytes: `80`, card capabilities `73 s1 s2 s3`, then `5x` issuer data (the card's label, ASCII). */
export function encodeCapabilityHistoricalBytes(capabilities: CardCapabilities, label: string): Uint8Array {
  const third = (capabilities.extendedLength ? EXTENDED_LENGTH_B7 : 0) | (capabilities.lengthInfoInEfAtr ? LENGTH_INFO_B6 : 0);
  const text = Array.from(label.slice(0, 9), (c) => c.charCodeAt(0) & 0x7f);
  return Uint8Array.from([0x80, 0x73, 0x80, 0x01, third, 0x50 | text.length, ...text]);
}

/** Extended length information (7F66): the most bytes a command APDU and an answer APDU (status word included) may have. */
export interface ExtendedLengthInfo {
  readonly maxCommandApdu: number;
  readonly maxAnswerApdu: number;
}

function integerObject(value: number): number[] {
  return [0x02, 0x02, (value >> 8) & 0xff, value & 0xff];
}

export function encodeExtendedLengthInfo(info: ExtendedLengthInfo): Uint8Array {
  const body = [...integerObject(info.maxCommandApdu), ...integerObject(info.maxAnswerApdu)];
  return Uint8Array.from([0x7f, 0x66, body.length, ...body]);
}

/** Finds 7F66 in the bytes of EF.ATR/INFO and reads its two INTEGERs; undefined when absent or malformed. */
export function decodeExtendedLengthInfo(efAtr: Uint8Array): ExtendedLengthInfo | undefined {
  for (let at = 0; at + 2 < efAtr.length; at += 1) {
    if (efAtr[at] !== 0x7f || efAtr[at + 1] !== 0x66) continue;
    const length = efAtr[at + 2]!;
    const body = efAtr.subarray(at + 3, at + 3 + length);
    if (body.length !== length) return undefined;
    const values: number[] = [];
    let i = 0;
    while (i + 1 < body.length && values.length < 2) {
      if (body[i] !== 0x02) return undefined;
      const size = body[i + 1]!;
      if (size < 1 || size > 3 || i + 2 + size > body.length) return undefined;
      values.push(body.subarray(i + 2, i + 2 + size).reduce((n, b) => n * 256 + b, 0));
      i += 2 + size;
    }
    if (values.length !== 2) return undefined;
    return { maxCommandApdu: values[0]!, maxAnswerApdu: values[1]! };
  }
  return undefined;
}

/**
 * The APDU limits the transfer uses: extended ones only when the card announces extended Lc/Le and states its
 * sizes in 7F66 (a card that announces them without sizes is written with short APDUs: nothing to size a chunk
 * by), each bounded by what an extended APDU can carry; else short. The reader's side is probed by the caller.
 */
export function apduLimitsFor(capabilities: CardCapabilities, info: ExtendedLengthInfo | undefined): ApduLimits {
  if (!capabilities.extendedLength || info === undefined) return SHORT_APDU_LIMITS;
  // Extended case 3: CLA INS P1 P2, 00 Lc Lc, data. Case 2/4 answers: data, SW1 SW2.
  const maxCommandData = Math.min(65535, info.maxCommandApdu - 7);
  const maxAnswerData = Math.min(65536, info.maxAnswerApdu - 2);
  if (maxCommandData <= SHORT_APDU_LIMITS.maxCommandData && maxAnswerData <= SHORT_APDU_LIMITS.maxAnswerData) return SHORT_APDU_LIMITS;
  return { maxCommandData: Math.max(maxCommandData, SHORT_APDU_LIMITS.maxCommandData), maxAnswerData: Math.max(maxAnswerData, SHORT_APDU_LIMITS.maxAnswerData), extended: true };
}

/**
 * The ATR of an upgrade card names it: its historical bytes hold "UPGRADE" (this project's cards as issuer data in
 * compact-TLV form, older ones as the ASCII "GB18240 UPGRADE…"). A hint for choosing a reader, never a reason to
 * write: the card is asked (SELECT UPGRADE01) before anything is written.
 */
export function atrNamesUpgradeCard(atr: Uint8Array): boolean {
  const historical = atrHistoricalBytes(atr);
  return historical !== undefined && String.fromCharCode(...historical).includes('UPGRADE');
}
