import { GatewayError } from '../../contracts/errors/index.js';
import { malformedResponse } from './fieldErrors.js';

/** The XOR of all bytes: the check byte that ends the data of the fiscal commands that carry one. */
function xorOf(bytes: Uint8Array): number {
  let x = 0;
  for (const b of bytes) x ^= b;
  return x;
}

export function appendXor(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes, 0);
  out[bytes.length] = xorOf(bytes);
  return out;
}

/** Checks the last byte against the XOR of the others and returns the others. */
export function stripXor(bytes: Uint8Array, command: string): Uint8Array {
  if (bytes.length < 1) {
    throw malformedResponse(`${command}: no XOR byte`);
  }
  const body = bytes.slice(0, bytes.length - 1);
  if (xorOf(body) !== bytes[bytes.length - 1]) throw new GatewayError('CARD_XOR_MISMATCH', { params: { command } });
  return body;
}
