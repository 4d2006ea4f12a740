import { GatewayError } from '../../contracts/errors/index.js';
import type { StatusWarning } from './statusWords.js';

/** A response APDU: the data field and the status word SW1 SW2. */
export interface ResponseApdu {
  readonly data: Uint8Array;
  readonly sw1: number;
  readonly sw2: number;
  /** SW1 << 8 | SW2. */
  readonly sw: number;
  /** Set by `transceive` when the final status word is an ISO 7816-4 warning (62xx, 63xx but 63Cx): the data is still the answer. */
  readonly warning?: StatusWarning;
}

export const SW_OK = 0x9000;

export function statusWordHex(sw: number): string {
  return sw.toString(16).toUpperCase().padStart(4, '0');
}

export function decodeResponseApdu(bytes: Uint8Array): ResponseApdu {
  if (bytes.length < 2) {
    throw new GatewayError('CARD_RESPONSE_MALFORMED', {
      params: { detail: `a response has at least the 2 status bytes, got ${bytes.length}` },
    });
  }
  const sw1 = bytes[bytes.length - 2]!;
  const sw2 = bytes[bytes.length - 1]!;
  return { data: bytes.slice(0, bytes.length - 2), sw1, sw2, sw: (sw1 << 8) | sw2 };
}

export function encodeResponseApdu(data: Uint8Array, sw: number): Uint8Array {
  const bytes = new Uint8Array(data.length + 2);
  bytes.set(data, 0);
  bytes[data.length] = (sw >> 8) & 0xff;
  bytes[data.length + 1] = sw & 0xff;
  return bytes;
}
