import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';
import { GatewayError } from '../../contracts/errors/index.js';
import { children, DerError, DerTag, readOnly, type Tlv } from './der.js';

export const KEY_ALGORITHMS = ['ed25519', 'sm2'] as const;
export type KeyAlgorithm = (typeof KEY_ALGORITHMS)[number];

/** A public key that may sign packages (one `.pub` file of a trusted-keys folder). */
export interface FwpkgPublicKey {
  readonly algorithm: KeyAlgorithm;
  /** Ed25519: the 32-byte key; SM2: the 65-byte uncompressed point 04‖x‖y. */
  readonly raw: Uint8Array;
  /** `<algorithm>:<first 16 bytes of SHA-256(raw), hex>` (SPEC.md). */
  readonly keyId: string;
}

/** A private key read from a `.key` file; `secret` never leaves this process. */
export interface FwpkgPrivateKey {
  readonly algorithm: KeyAlgorithm;
  readonly publicKey: FwpkgPublicKey;
  /** Ed25519: the 32-byte seed; SM2: the 32-byte scalar d. */
  readonly secret: Uint8Array;
}

export interface KeyPairFiles {
  readonly keyId: string;
  readonly algorithm: KeyAlgorithm;
  /** PKCS#8 PEM, unencrypted: the caller writes it with mode 0600. */
  readonly privatePem: string;
  /** SubjectPublicKeyInfo PEM. */
  readonly publicPem: string;
}

const OID = {
  ed25519: '2b6570', // 1.3.101.112
  ecPublicKey: '2a8648ce3d0201', // 1.2.840.10045.2.1
  sm2: '2a811ccf5501822d', // 1.2.156.10197.1.301
} as const;

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export function keyIdOf(algorithm: KeyAlgorithm, raw: Uint8Array): string {
  return `${algorithm}:${createHash('sha256').update(raw).digest('hex').slice(0, 32)}`;
}

function publicKey(algorithm: KeyAlgorithm, raw: Uint8Array): FwpkgPublicKey {
  return { algorithm, raw, keyId: keyIdOf(algorithm, raw) };
}

function keyError(what: string, detail: string, cause?: unknown): GatewayError {
  return new GatewayError('FWPKG_KEY_INVALID', { params: { file: what, detail }, ...(cause === undefined ? {} : { cause }) });
}

/** The DER inside one PEM block with the given label. */
function pemBody(text: string, label: string, what: string): Uint8Array {
  const match = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`).exec(text);
  if (!match) {
    const found = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
    throw keyError(what, found ? `a "${found}" PEM block; expected "${label}" (SPEC.md, key files)` : `no "${label}" PEM block`);
  }
  return new Uint8Array(Buffer.from(match[1]!.replace(/\s+/g, ''), 'base64'));
}

function pem(label: string, der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

function oidHex(tlv: Tlv | undefined): string | undefined {
  return tlv?.tag === DerTag.oid ? hex(tlv.value) : undefined;
}

/** The algorithm named by an AlgorithmIdentifier: Ed25519, or an EC key on the SM2 curve. */
function algorithmOf(identifier: Tlv): KeyAlgorithm {
  if (identifier.tag !== DerTag.sequence) throw new DerError('expected an AlgorithmIdentifier');
  const [algorithm, parameters] = children(identifier.value);
  const oid = oidHex(algorithm);
  if (oid === OID.ed25519 && parameters === undefined) return 'ed25519';
  if (oid === OID.sm2 || (oid === OID.ecPublicKey && oidHex(parameters) === OID.sm2)) return 'sm2';
  throw new DerError(`not an Ed25519 or SM2 key (algorithm ${oid ?? '?'}${parameters ? `, parameters ${oidHex(parameters) ?? '?'}` : ''})`);
}

/** A SubjectPublicKeyInfo PEM (`-----BEGIN PUBLIC KEY-----`), as `fiscalctl package keygen` and `openssl pkey -pubout` write. */
export function parsePublicKeyPem(text: string, what = 'public key'): FwpkgPublicKey {
  const der = pemBody(text, 'PUBLIC KEY', what);
  try {
    const [identifier, bits, extra] = children(readOnly(der, DerTag.sequence).value);
    if (!identifier || bits?.tag !== DerTag.bitString || extra) throw new DerError('not a SubjectPublicKeyInfo');
    const algorithm = algorithmOf(identifier);
    if (bits.value[0] !== 0) throw new DerError('BIT STRING with unused bits');
    const raw = bits.value.subarray(1);
    if (algorithm === 'ed25519' && raw.length !== 32) throw new DerError('an Ed25519 key is 32 bytes');
    if (algorithm === 'sm2' && (raw.length !== 65 || raw[0] !== 4)) throw new DerError('an SM2 key must be an uncompressed point (04‖x‖y, 65 bytes)');
    if (algorithm === 'sm2' && !isOnSm2Curve(raw)) throw new DerError('the SM2 point is not on the curve');
    return publicKey(algorithm, Uint8Array.from(raw));
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw keyError(what, (cause as Error).message, cause);
  }
}

function isOnSm2Curve(raw: Uint8Array): boolean {
  try {
    return sm2.verifyPublicKey(hex(raw));
  } catch {
    return false;
  }
}

function ed25519PublicRaw(seed: Uint8Array): Uint8Array {
  const key = createPrivateKey({ key: ed25519Pkcs8(seed), format: 'der', type: 'pkcs8' });
  const spki = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return new Uint8Array(spki.subarray(spki.length - 32));
}

/** RFC 8410 PKCS#8 of an Ed25519 seed. */
export function ed25519Pkcs8(seed: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
}

/** RFC 8410 SubjectPublicKeyInfo of an Ed25519 key. */
export function ed25519Spki(raw: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), raw]);
}

/** An unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`) of an Ed25519 key or an EC key on the SM2 curve. */
export function parsePrivateKeyPem(text: string, what = 'private key'): FwpkgPrivateKey {
  if (text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----')) throw keyError(what, 'an encrypted key; decrypt it first (openssl pkcs8 -in KEY -out PLAIN.key)');
  const der = pemBody(text, 'PRIVATE KEY', what);
  try {
    const [version, identifier, octets] = children(readOnly(der, DerTag.sequence).value);
    if (version?.tag !== DerTag.integer || !identifier || octets?.tag !== DerTag.octetString) throw new DerError('not a PKCS#8 PrivateKeyInfo');
    const algorithm = algorithmOf(identifier);
    if (algorithm === 'ed25519') {
      const seed = readOnly(octets.value, DerTag.octetString).value;
      if (seed.length !== 32) throw new DerError('an Ed25519 seed is 32 bytes');
      return { algorithm, secret: Uint8Array.from(seed), publicKey: publicKey(algorithm, ed25519PublicRaw(seed)) };
    }
    // RFC 5915 ECPrivateKey: version 1, the scalar, then optional parameters and public key.
    const [ecVersion, scalar] = children(readOnly(octets.value, DerTag.sequence).value);
    if (ecVersion?.tag !== DerTag.integer || scalar?.tag !== DerTag.octetString || scalar.value.length === 0 || scalar.value.length > 32) {
      throw new DerError('not an ECPrivateKey with a 32-byte scalar');
    }
    const secret = new Uint8Array(32);
    secret.set(scalar.value, 32 - scalar.value.length);
    const raw = new Uint8Array(Buffer.from(sm2.getPublicKeyFromPrivateKey(hex(secret)), 'hex'));
    return { algorithm, secret, publicKey: publicKey(algorithm, raw) };
  } catch (cause) {
    if (cause instanceof GatewayError) throw cause;
    throw keyError(what, (cause as Error).message, cause);
  }
}

function derOf(key: KeyObject, type: 'pkcs8' | 'spki'): Uint8Array {
  return new Uint8Array(key.export({ format: 'der', type }));
}

/** A new key pair in the standard formats (OpenSSL writes and reads them too). */
export function generateKeyPair(algorithm: KeyAlgorithm): KeyPairFiles {
  const pair = algorithm === 'ed25519' ? generateKeyPairSync('ed25519') : generateKeyPairSync('ec', { namedCurve: 'SM2' });
  const privatePem = pem('PRIVATE KEY', derOf(pair.privateKey, 'pkcs8'));
  const publicPem = pem('PUBLIC KEY', derOf(pair.publicKey, 'spki'));
  // Read back through the same parsers verification uses: a key pair we cannot read is never written.
  const parsed = parsePrivateKeyPem(privatePem, 'new key');
  if (parsed.publicKey.keyId !== parsePublicKeyPem(publicPem, 'new key').keyId) throw keyError('new key', 'the public half does not match the private half');
  return { keyId: parsed.publicKey.keyId, algorithm, privatePem, publicPem };
}
