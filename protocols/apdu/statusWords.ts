import { statusWordHex } from './ResponseApdu.js';

export type StatusWordKind = 'success' | 'more-data' | 'wrong-le' | 'warning' | 'error';

/** What a status word means by ISO 7816-4 alone, before any command gives it a sharper sense. */
export interface StatusWordMeaning {
  readonly sw: number;
  readonly hex: string;
  readonly kind: StatusWordKind;
  readonly en: string;
  /** SW2 as a count where the status word carries one: bytes available (61xx, 9Fxx), exact Le (6Cxx), tries left (63Cx). */
  readonly count?: number;
}

const exact: Readonly<Record<number, readonly [StatusWordKind, string]>> = {
  0x9000: ['success', 'normal processing'],
  0x6200: ['warning', 'no information given, state of non-volatile memory unchanged'],
  0x6281: ['warning', 'part of returned data may be corrupted'],
  0x6282: ['warning', 'end of file or record reached before reading Ne bytes'],
  0x6283: ['warning', 'selected file deactivated'],
  0x6300: ['warning', 'no information given, state of non-volatile memory changed'],
  0x6381: ['warning', 'file filled up by the last write'],
  0x6400: ['error', 'execution error, state of non-volatile memory unchanged'],
  0x6500: ['error', 'execution error, state of non-volatile memory changed'],
  0x6581: ['error', 'memory failure'],
  0x6700: ['error', 'wrong length'],
  0x6800: ['error', 'functions in CLA not supported'],
  0x6881: ['error', 'logical channel not supported'],
  0x6882: ['error', 'secure messaging not supported'],
  0x6900: ['error', 'command not allowed'],
  0x6901: ['error', 'command not accepted (inactive state)'],
  0x6981: ['error', 'command incompatible with file structure'],
  0x6982: ['error', 'security status not satisfied'],
  0x6983: ['error', 'authentication method blocked'],
  0x6984: ['error', 'reference data not usable'],
  0x6985: ['error', 'conditions of use not satisfied'],
  0x6986: ['error', 'command not allowed (no current EF)'],
  0x6987: ['error', 'expected secure messaging data objects missing'],
  0x6988: ['error', 'incorrect secure messaging data objects'],
  0x6A80: ['error', 'incorrect parameters in the command data field'],
  0x6A81: ['error', 'function not supported'],
  0x6A82: ['error', 'file or application not found'],
  0x6A83: ['error', 'record not found'],
  0x6A84: ['error', 'not enough memory space in the file'],
  0x6A86: ['error', 'incorrect parameters P1-P2'],
  0x6A87: ['error', 'Nc inconsistent with parameters P1-P2'],
  0x6A88: ['error', 'referenced data or reference data not found'],
  0x6B00: ['error', 'wrong parameters P1-P2 (offset outside the EF)'],
  0x6D00: ['error', 'instruction code not supported or invalid'],
  0x6E00: ['error', 'class not supported'],
  0x6F00: ['error', 'no precise diagnosis'],
  0x9302: ['error', 'MAC wrong'],
  0x9303: ['error', 'application permanently locked'],
  0x9401: ['error', 'amount over limit or nothing left'],
  0x9403: ['error', 'key version not supported'],
};

/**
 * An ISO 7816-4 warning (SW1 62 or 63, §5.6): the command was processed and its data, if any, is
 * returned. 63Cx is not one here: to VERIFY it is a failed verification with a try count.
 */
export interface StatusWarning {
  readonly sw: number;
  readonly hex: string;
  readonly warning:
    | 'end-of-data' | 'data-may-be-corrupted' | 'file-deactivated' | 'memory-unchanged' | 'memory-changed' | 'file-filled' | 'other';
  readonly en: string;
}

const warningNames: Readonly<Record<number, StatusWarning['warning']>> = {
  0x6200: 'memory-unchanged', 0x6281: 'data-may-be-corrupted', 0x6282: 'end-of-data', 0x6283: 'file-deactivated',
  0x6300: 'memory-changed', 0x6381: 'file-filled',
};

/** The typed warning a status word carries, or undefined when it is none (9000, an error, 63Cx). Never throws. */
export function statusWarning(sw: number): StatusWarning | undefined {
  const sw1 = (sw >> 8) & 0xff;
  if (sw1 !== 0x62 && sw1 !== 0x63) return undefined;
  if ((sw & 0xfff0) === 0x63c0) return undefined;
  const meaning = describeStatusWord(sw);
  return { sw, hex: meaning.hex, warning: warningNames[sw] ?? 'other', en: meaning.en };
}

/** The generic ISO 7816-4 meaning of a status word. Never throws. */
export function describeStatusWord(sw: number): StatusWordMeaning {
  const hex = statusWordHex(sw);
  const sw1 = (sw >> 8) & 0xff;
  const sw2 = sw & 0xff;
  const known = exact[sw];
  if (known) return { sw, hex, kind: known[0], en: known[1] };
  if (sw1 === 0x61) return { sw, hex, kind: 'more-data', en: `${sw2 || 256} more bytes available`, count: sw2 || 256 };
  if (sw1 === 0x9f) return { sw, hex, kind: 'more-data', en: `${sw2 || 256} bytes of response available`, count: sw2 || 256 };
  if (sw1 === 0x6c) return { sw, hex, kind: 'wrong-le', en: `wrong Le, exact length is ${sw2 || 256}`, count: sw2 || 256 };
  if (sw1 === 0x63 && (sw2 & 0xf0) === 0xc0) return { sw, hex, kind: 'warning', en: `verification failed, ${sw2 & 0x0f} tries left`, count: sw2 & 0x0f };
  if (sw1 === 0x62 || sw1 === 0x63) return { sw, hex, kind: 'warning', en: 'warning' };
  if (sw1 === 0x67) return { sw, hex, kind: 'error', en: 'wrong length' };
  if (sw1 >= 0x64 && sw1 <= 0x6f) return { sw, hex, kind: 'error', en: 'error' };
  return { sw, hex, kind: 'error', en: 'proprietary or unknown status' };
}
