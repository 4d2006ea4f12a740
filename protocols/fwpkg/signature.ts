import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { children, DerError, DerTag, encodeTlv, encodeUnsignedInteger, readOnly, unsignedInteger } from './der.js';
import { ed25519Pkcs8, ed25519Spki, type FwpkgPrivateKey, type FwpkgPublicKey } from './keys.js';

/**
 * The SM2 signer's distinguishing identifier in Z = SM3(ENTL‖ID‖a‖b‖xG‖yG‖xA‖yA): the default of GB/T 35276
 * (and of GM/T 0009). node:crypto signs SM2 with an empty ID and cannot be told another, which is why SM2 goes
 * through sm-crypto-v2 (SPEC.md).
 */
export const SM2_SIGNER_ID = '1234567812345678';

/** The order n of the SM2 curve (GB/T 32918.5): r and s must lie in 1…n−1. */
const SM2_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bigintOf = (bytes: Uint8Array) => (bytes.length === 0 ? 0n : BigInt(`0x${hex(bytes)}`));

/** SM2Signature ::= SEQUENCE { r INTEGER, s INTEGER } (GB/T 35276), r and s as 64 hex digits each; undefined if not that. */
function sm2SignatureHex(signature: Uint8Array): string | undefined {
  try {
    const items = children(readOnly(signature, DerTag.sequence).value);
    if (items.length !== 2) return undefined;
    const [r, s] = items.map((item) => unsignedInteger(item));
    const values = [bigintOf(r!), bigintOf(s!)];
    if (values.some((v) => v < 1n || v >= SM2_ORDER)) return undefined;
    return values.map((v) => v.toString(16).padStart(64, '0')).join('');
  } catch (error) {
    if (error instanceof DerError) return undefined;
    throw error;
  }
}

/**
 * `manifest.sig`: Ed25519 (RFC 8032, 64 bytes) or SM2 with SM3 and the default signer ID (GB/T 32918.2, the
 * DER form of GB/T 35276) over exactly `message`.
 */
export function signManifest(message: Uint8Array, key: FwpkgPrivateKey): Uint8Array {
  if (key.algorithm === 'ed25519') {
    return new Uint8Array(sign(null, message, createPrivateKey({ key: ed25519Pkcs8(key.secret), format: 'der', type: 'pkcs8' })));
  }
  const rs = sm2.doSignature(message, hex(key.secret), { der: false, hash: true, publicKey: hex(key.publicKey.raw), userId: SM2_SIGNER_ID });
  const r = Buffer.from(rs.slice(0, 64), 'hex');
  const s = Buffer.from(rs.slice(64, 128), 'hex');
  return encodeTlv(DerTag.sequence, Uint8Array.from([...encodeUnsignedInteger(r), ...encodeUnsignedInteger(s)]));
}

/** Whether `signature` is `key`'s signature of exactly `message`; a malformed signature is simply not one. */
export function verifyManifestSignature(message: Uint8Array, signature: Uint8Array, key: FwpkgPublicKey): boolean {
  if (key.algorithm === 'ed25519') {
    if (signature.length !== 64) return false;
    return verify(null, message, createPublicKey({ key: ed25519Spki(key.raw), format: 'der', type: 'spki' }), signature);
  }
  const rs = sm2SignatureHex(signature);
  if (rs === undefined) return false;
  try {
    return sm2.doVerifySignature(message, rs, hex(key.raw), { der: false, hash: true, userId: SM2_SIGNER_ID });
  } catch {
    return false;
  }
}
