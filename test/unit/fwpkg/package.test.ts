import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import type { GatewayError } from '../../../contracts/errors/index.js';
import { describe, expect, it } from 'vitest';
import { extract as tarExtract, pack as tarPack } from 'tar-stream';
import {
  buildFwpkg, FWPKG_ENTRY, measureImage, packFwpkg, readFwpkgStream, parsePrivateKeyPem, parsePublicKeyPem, unpackFwpkg, verifyFwpkg,
  verifyPackageParts, type FwpkgParts, type FwpkgPublicKey,
} from '../../../protocols/fwpkg/index.js';
import { vectorFields, vectorImage } from '../../../fixtures/packages/makeVectors.js';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/packages/${name}`, import.meta.url)));
const publicKey = (algorithm: 'ed25519' | 'sm2') => parsePublicKeyPem(Buffer.from(fixture(`vector-${algorithm}.pub`)).toString());
const privateKey = (algorithm: 'ed25519' | 'sm2') => parsePrivateKeyPem(Buffer.from(fixture(`vector-${algorithm}.key`)).toString());
const trusted: FwpkgPublicKey[] = [publicKey('ed25519'), publicKey('sm2')];
const code = (c: string) => expect.objectContaining({ code: c });

/** Refusal codes a damaged package may get; anything else (a TypeError…) fails the fuzz. */
const REFUSALS = ['FWPKG_MALFORMED', 'FWPKG_UNSIGNED', 'FWPKG_UNKNOWN_KEY', 'FWPKG_MANIFEST_TAMPERED', 'FWPKG_IMAGE_TAMPERED', 'FWPKG_SIZE_MISMATCH', 'FWPKG_TOO_LARGE'];

async function refusalOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    const c = (error as { code?: string }).code;
    if (!c || !REFUSALS.includes(c)) throw error;
    return c;
  }
}

/** A tar of the given entries, for packages this code would never write. */
async function tarOf(entries: { name: string; data?: Uint8Array; type?: 'file' | 'directory' | 'symlink' }[]): Promise<Uint8Array> {
  const pack = tarPack();
  const out: Uint8Array[] = [];
  const collecting = (async () => { for await (const chunk of pack as AsyncIterable<Uint8Array>) out.push(chunk); })();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const header = { name: entry.name, type, ...(type === 'symlink' ? { linkname: 'x' } : {}), size: type === 'file' ? entry.data?.length ?? 0 : 0 };
    if (type === 'file') pack.entry(header, Buffer.from(entry.data ?? []));
    else pack.entry(header);
  }
  pack.finalize();
  await collecting;
  return new Uint8Array(Buffer.concat(out));
}

describe('test vectors (fixtures/packages)', () => {
  it('the Ed25519 vector is rebuilt byte for byte from its key, image and fields', async () => {
    const built = await buildFwpkg({ ...vectorFields, image: vectorImage(), key: privateKey('ed25519') });
    expect(Buffer.from(built.bytes).equals(Buffer.from(fixture('vector-ed25519.fwpkg')))).toBe(true);
    expect(Buffer.from(built.manifestBytes).equals(Buffer.from(fixture('vector-ed25519.manifest.json')))).toBe(true);
  });

  it('the SM2 vector verifies, holds the committed manifest and image; a rebuild differs only in its signature', async () => {
    const verified = await verifyFwpkg(fixture('vector-sm2.fwpkg'), trusted);
    expect(verified.key.keyId).toBe('sm2:a0bb97a08a86112a9fee2b4967443c27');
    expect(Buffer.from(verified.manifestBytes).equals(Buffer.from(fixture('vector-sm2.manifest.json')))).toBe(true);
    expect(Buffer.from(verified.image).equals(Buffer.from(fixture('vector-image.bin')))).toBe(true);
    const rebuilt = await buildFwpkg({ ...vectorFields, image: vectorImage(), key: privateKey('sm2') });
    expect(Buffer.from(rebuilt.manifestBytes).equals(Buffer.from(verified.manifestBytes))).toBe(true);
    expect(await verifyFwpkg(rebuilt.bytes, trusted)).toMatchObject({ manifest: verified.manifest });
  });

  it('both vectors verify with the trusted keys and name their entries as DESIGN.md does', async () => {
    for (const algorithm of ['ed25519', 'sm2'] as const) {
      const { manifest } = await verifyFwpkg(fixture(`vector-${algorithm}.fwpkg`), trusted);
      expect(manifest).toMatchObject({ version: '2.5.0', versionLowest: '2.0.0', bootloaderLowest: '1.1.0', size: 4096, models: ['SK-3000税控机', 'SK-3000A'] });
      const names: string[] = [];
      const extract = tarExtract();
      const done = (async () => { for await (const entry of extract) { names.push(entry.header.name); entry.resume(); } })();
      extract.end(Buffer.from(fixture(`vector-${algorithm}.fwpkg`)));
      await done;
      expect(names).toEqual([FWPKG_ENTRY.manifest, FWPKG_ENTRY.image, FWPKG_ENTRY.signature]);
    }
  });
});

describe('verification refusals, each with its own code', () => {
  const parts = async (): Promise<FwpkgParts> => unpackFwpkg(fixture('vector-ed25519.fwpkg'));

  it('unsigned: no manifest.sig, or an empty one', async () => {
    const p = await parts();
    expect(await refusalOf(verifyFwpkg(await tarOf([{ name: 'manifest.json', data: p.manifest }, { name: 'firmware.bin', data: p.image }]), trusted))).toBe('FWPKG_UNSIGNED');
    expect(await refusalOf(verifyFwpkg(await packFwpkg({ ...p, signature: new Uint8Array(0) }, new Date()), trusted))).toBe('FWPKG_UNSIGNED');
  });

  it('unknown key: signed by a key not in the trusted set', async () => {
    await expect(verifyFwpkg(fixture('vector-ed25519.fwpkg'), [publicKey('sm2')])).rejects.toThrow(code('FWPKG_UNKNOWN_KEY'));
    await expect(verifyFwpkg(fixture('vector-ed25519.fwpkg'), [])).rejects.toThrow(expect.objectContaining({ params: { keyId: 'ed25519:bcb89b5112801de59cb7f0d7b178acd5', trusted: 0 } }));
  });

  it('tampered manifest: one changed value, the signature kept', async () => {
    const p = await parts();
    const manifest = new TextEncoder().encode(new TextDecoder().decode(p.manifest).replace('"versionLowest": "2.0.0"', '"versionLowest": "1.0.0"'));
    expect(() => verifyPackageParts(manifest, p.signature, measureImage(p.image), trusted)).toThrow(code('FWPKG_MANIFEST_TAMPERED'));
  });

  it('tampered image: same size, other bytes (SHA-256 is checked first, SM3 too)', async () => {
    const p = await parts();
    const image = Uint8Array.from(p.image);
    image[100]! ^= 0x01;
    expect(() => verifyPackageParts(p.manifest, p.signature, measureImage(image), trusted)).toThrow(expect.objectContaining({ code: 'FWPKG_IMAGE_TAMPERED', params: { digest: 'SHA-256' } }));
    const digest = measureImage(p.image);
    expect(() => verifyPackageParts(p.manifest, p.signature, { ...digest, sm3: '0'.repeat(64) }, trusted)).toThrow(expect.objectContaining({ code: 'FWPKG_IMAGE_TAMPERED', params: { digest: 'SM3' } }));
  });

  it('size mismatch: an image cut short or lengthened', async () => {
    const p = await parts();
    expect(await refusalOf(verifyFwpkg(await packFwpkg({ ...p, image: p.image.subarray(0, 4000) }, new Date()), trusted))).toBe('FWPKG_SIZE_MISMATCH');
    expect(() => verifyPackageParts(p.manifest, p.signature, measureImage(new Uint8Array([...p.image, 0])), trusted)).toThrow(expect.objectContaining({ code: 'FWPKG_SIZE_MISMATCH', params: { expected: 4096, actual: 4097 } }));
  });

  it('malformed: not a tar, a missing or extra or doubled entry, a directory, a manifest signed but not canonical', async () => {
    const p = await parts();
    const cases: Uint8Array[] = [
      new TextEncoder().encode('this is not a tar archive at all'.repeat(40)),
      fixture('vector-ed25519.fwpkg').subarray(0, 3000),
      await tarOf([{ name: 'firmware.bin', data: p.image }, { name: 'manifest.sig', data: p.signature }]),
      await tarOf([{ name: 'manifest.json', data: p.manifest }, { name: 'manifest.sig', data: p.signature }]),
      await tarOf([{ name: 'manifest.json', data: p.manifest }, { name: 'firmware.bin', data: p.image }, { name: 'manifest.sig', data: p.signature }, { name: 'install.sh', data: new Uint8Array(4) }]),
      await tarOf([{ name: 'manifest.json', data: p.manifest }, { name: 'firmware.bin', data: p.image }, { name: 'firmware.bin', data: p.image }, { name: 'manifest.sig', data: p.signature }]),
      await tarOf([{ name: 'manifest.json', data: p.manifest }, { name: 'firmware.bin', type: 'directory' }, { name: 'manifest.sig', data: p.signature }]),
      await tarOf([{ name: './manifest.json', data: p.manifest }, { name: 'firmware.bin', data: p.image }, { name: 'manifest.sig', data: p.signature }]),
    ];
    for (const [i, bytes] of cases.entries()) expect(await refusalOf(verifyFwpkg(bytes, trusted)), `case ${i}`).toBe('FWPKG_MALFORMED');
    // Each says what is wrong in Chinese too, with no English words (file names aside).
    for (const [i, bytes] of cases.entries()) {
      const zh = await verifyFwpkg(bytes, trusted).then(() => '', (error: GatewayError) => error.localized('zh-CN'));
      expect(zh.replace(/[\w./-]+\.(json|bin|sig|sh)|\btar\b/g, ''), `case ${i}: ${zh}`).not.toMatch(/[A-Za-z]{3,}/);
    }
    const key = privateKey('ed25519');
    const { signManifest } = await import('../../../protocols/fwpkg/index.js');
    const compact = new TextEncoder().encode(JSON.stringify(JSON.parse(new TextDecoder().decode(p.manifest))));
    expect(() => verifyPackageParts(compact, signManifest(compact, key), measureImage(p.image), trusted)).toThrow(expect.objectContaining({ code: 'FWPKG_MALFORMED', message: expect.stringMatching(/canonical/) }));
  });

  it('a source that fails while read ends the reading with its own error, not as a damaged package', async () => {
    const bytes = fixture('vector-ed25519.fwpkg');
    async function* failing() {
      yield bytes.subarray(0, 2048);
      throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
    }
    await expect(readFwpkgStream(failing(), () => undefined)).rejects.toThrow(expect.objectContaining({ code: 'EIO' }));
  });

  it('an image over the reader\'s limit is refused from the tar header, before its bytes are read', async () => {
    await expect(verifyFwpkg(fixture('vector-ed25519.fwpkg'), trusted, { maxImageBytes: 4095 })).rejects.toThrow(code('FWPKG_TOO_LARGE'));
  });
});

describe('fuzz: no damaged package is ever accepted', () => {
  it('any byte changed in the manifest, the image or the signature is refused (both algorithms)', async () => {
    for (const algorithm of ['ed25519', 'sm2'] as const) {
      const p = await unpackFwpkg(fixture(`vector-${algorithm}.fwpkg`));
      const part = fc.constantFrom('manifest' as const, 'image' as const, 'signature' as const);
      fc.assert(fc.property(part, fc.nat(), fc.integer({ min: 1, max: 255 }), (which, at, mask) => {
        const damaged = { manifest: Uint8Array.from(p.manifest), image: Uint8Array.from(p.image), signature: Uint8Array.from(p.signature) };
        damaged[which][at % damaged[which].length]! ^= mask;
        let refused: string | undefined;
        try {
          verifyPackageParts(damaged.manifest, damaged.signature, measureImage(damaged.image), trusted);
        } catch (error) {
          refused = (error as { code?: string }).code;
        }
        expect(REFUSALS).toContain(refused);
        if (which === 'image') expect(refused).toBe('FWPKG_IMAGE_TAMPERED');
      }), { numRuns: algorithm === 'sm2' ? 50 : 300 });
    }
  });

  it('any byte changed anywhere in the .fwpkg is refused, or leaves manifest, image and signature exactly as signed', async () => {
    const bytes = fixture('vector-ed25519.fwpkg');
    const original = await unpackFwpkg(bytes);
    await fc.assert(fc.asyncProperty(fc.nat(bytes.length - 1), fc.integer({ min: 1, max: 255 }), async (at, mask) => {
      const damaged = Uint8Array.from(bytes);
      damaged[at]! ^= mask;
      let accepted: Awaited<ReturnType<typeof verifyFwpkg>> | undefined;
      const refused = await refusalOf(verifyFwpkg(damaged, trusted).then((v) => { accepted = v; }));
      if (refused === undefined) {
        expect(Buffer.from(accepted!.manifestBytes).equals(Buffer.from(original.manifest))).toBe(true);
        expect(Buffer.from(accepted!.image).equals(Buffer.from(original.image))).toBe(true);
      }
    }), { numRuns: 600 });
  });
});
