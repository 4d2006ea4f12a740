import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  generateKeyPair, keyIdOf, measureImage, parsePrivateKeyPem, parsePublicKeyPem, signManifest, verifyManifestSignature,
} from '../../../protocols/fwpkg/index.js';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/packages/${name}`, import.meta.url));
const keyInvalid = expect.objectContaining({ code: 'FWPKG_KEY_INVALID' });

describe('key files', () => {
  it('reads the keys OpenSSL made (openssl genpkey -algorithm ed25519 | SM2), public half matching private half', () => {
    for (const algorithm of ['ed25519', 'sm2'] as const) {
      const privateKey = parsePrivateKeyPem(fixture(`vector-${algorithm}.key`).toString());
      const publicKey = parsePublicKeyPem(fixture(`vector-${algorithm}.pub`).toString());
      expect(privateKey.algorithm).toBe(algorithm);
      expect(privateKey.publicKey).toEqual(publicKey);
      expect(publicKey.raw.length).toBe(algorithm === 'ed25519' ? 32 : 65);
      expect(publicKey.keyId).toBe(keyIdOf(algorithm, publicKey.raw));
    }
    expect(parsePublicKeyPem(fixture('vector-ed25519.pub').toString()).keyId).toBe('ed25519:bcb89b5112801de59cb7f0d7b178acd5');
    expect(parsePublicKeyPem(fixture('vector-sm2.pub').toString()).keyId).toBe('sm2:a0bb97a08a86112a9fee2b4967443c27');
  });

  it('generates pairs that sign and verify, each key with its own id', () => {
    for (const algorithm of ['ed25519', 'sm2'] as const) {
      const a = generateKeyPair(algorithm);
      const b = generateKeyPair(algorithm);
      expect(a.keyId).toMatch(new RegExp(`^${algorithm}:[0-9a-f]{32}$`));
      expect(a.keyId).not.toBe(b.keyId);
      expect(a.privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
      expect(a.publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
      const message = new TextEncoder().encode('manifest');
      const signature = signManifest(message, parsePrivateKeyPem(a.privatePem));
      expect(verifyManifestSignature(message, signature, parsePublicKeyPem(a.publicPem))).toBe(true);
      expect(verifyManifestSignature(message, signature, parsePublicKeyPem(b.publicPem))).toBe(false);
    }
  });

  it('refuses what is not an unencrypted Ed25519 or SM2 key, saying why', () => {
    const p256 = '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWJMtRJjj9PdXVjcOl0oGyZO9zNQqEJpJS81VH8C5UV0JUpdxKZWeDKKnNSl/Ah2sAUB+cxqI3YiQ0wTjcQiRyw==\n-----END PUBLIC KEY-----\n';
    expect(() => parsePublicKeyPem(p256)).toThrow(expect.objectContaining({ code: 'FWPKG_KEY_INVALID', message: expect.stringMatching(/not an Ed25519 or SM2 key/) }));
    expect(() => parsePublicKeyPem(fixture('vector-ed25519.key').toString())).toThrow(expect.objectContaining({ message: expect.stringMatching(/"PRIVATE KEY" PEM block; expected "PUBLIC KEY"/) }));
    expect(() => parsePrivateKeyPem('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n')).toThrow(expect.objectContaining({ message: expect.stringMatching(/encrypted/) }));
    expect(() => parsePrivateKeyPem('hello')).toThrow(keyInvalid);
    // An SM2 point moved off the curve.
    const sm2 = fixture('vector-sm2.pub').toString();
    const der = Buffer.from(sm2.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    der[der.length - 1]! ^= 1;
    expect(() => parsePublicKeyPem(`-----BEGIN PUBLIC KEY-----\n${der.toString('base64')}\n-----END PUBLIC KEY-----\n`)).toThrow(expect.objectContaining({ message: expect.stringMatching(/not on the curve/) }));
  });

  it('never throws on a damaged key file, only FWPKG_KEY_INVALID (or a key with another id)', () => {
    const pem = fixture('vector-sm2.key').toString();
    const body = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    fc.assert(fc.property(fc.nat(body.length - 1), fc.integer({ min: 1, max: 255 }), (at, mask) => {
      const damaged = Buffer.from(body);
      damaged[at]! ^= mask;
      try {
        parsePrivateKeyPem(`-----BEGIN PRIVATE KEY-----\n${damaged.toString('base64')}\n-----END PRIVATE KEY-----\n`);
      } catch (error) {
        expect(error).toEqual(keyInvalid);
      }
    }), { numRuns: 300 });
  });
});

describe('signatures and digests', () => {
  it('SM2 is the standard one (SM3, signer ID 1234567812345678): verifies the signature openssl made of the vector manifest', () => {
    // openssl dgst -sm3 -sigopt distid:1234567812345678 -sign vector-sm2.key (fixtures/packages/README.md)
    const ok = verifyManifestSignature(fixture('vector-sm2.manifest.json'), fixture('vector-sm2.openssl.sig'), parsePublicKeyPem(fixture('vector-sm2.pub').toString()));
    expect(ok).toBe(true);
  });

  it('SM3 and SHA-256 give the published vectors (GB/T 32905 "abc")', () => {
    const digest = measureImage(new TextEncoder().encode('abc'));
    expect(digest).toEqual({
      size: 3,
      sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      sm3: '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    });
  });

  it('any changed byte of the message or the signature makes it no signature, for both algorithms', () => {
    for (const algorithm of ['ed25519', 'sm2'] as const) {
      const privateKey = parsePrivateKeyPem(fixture(`vector-${algorithm}.key`).toString());
      const message = new Uint8Array(fixture(`vector-${algorithm}.manifest.json`));
      const signature = signManifest(message, privateKey);
      expect(verifyManifestSignature(message, signature, privateKey.publicKey)).toBe(true);
      fc.assert(fc.property(fc.boolean(), fc.nat(), fc.integer({ min: 1, max: 255 }), (inMessage, at, mask) => {
        const target = inMessage ? Uint8Array.from(message) : Uint8Array.from(signature);
        target[at % target.length]! ^= mask;
        const ok = inMessage ? verifyManifestSignature(target, signature, privateKey.publicKey) : verifyManifestSignature(message, target, privateKey.publicKey);
        expect(ok).toBe(false);
      }), { numRuns: algorithm === 'sm2' ? 60 : 300 });
      expect(verifyManifestSignature(message, signature.subarray(0, signature.length - 1), privateKey.publicKey)).toBe(false);
      expect(verifyManifestSignature(message, new Uint8Array(0), privateKey.publicKey)).toBe(false);
    }
  });
});
