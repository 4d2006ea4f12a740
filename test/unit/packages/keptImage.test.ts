import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { pack as tarPack } from 'tar-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { findFwpkgSpans, parsePublicKeyPem, type FwpkgPublicKey } from '../../../protocols/fwpkg/index.js';
import { keptImage, verifyKeptPackage } from '../../../src/services/packages/keptImage.js';
import { verifyPackageFile } from '../../../src/services/packages/verifyPackageFile.js';

const fixtures = new URL('../../../fixtures/packages/', import.meta.url).pathname;
const vector = readFileSync(join(fixtures, 'vector-ed25519.fwpkg'));
const image = readFileSync(join(fixtures, 'vector-image.bin'));
const trusted: FwpkgPublicKey[] = [parsePublicKeyPem(readFileSync(join(fixtures, 'vector-ed25519.pub'), 'utf8'))];
const dir = mkdtempSync(join(tmpdir(), 'fg-kept-image-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function fileOf(bytes: Uint8Array): string {
  const file = join(dir, `${files++}.fwpkg`);
  writeFileSync(file, bytes);
  return file;
}

/** ok, or the refusal's code: what a verification said of a file. */
async function outcome(verify: Promise<unknown>): Promise<string> {
  try {
    await verify;
    return 'ok';
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === undefined) throw error;
    return code;
  }
}

async function tarOf(entries: { name: string; data?: Uint8Array; type?: 'file' | 'directory' }[]): Promise<Uint8Array> {
  const pack = tarPack();
  const out: Uint8Array[] = [];
  const collecting = (async () => { for await (const chunk of pack as AsyncIterable<Uint8Array>) out.push(chunk); })();
  for (const entry of entries) {
    if (entry.type === 'directory') pack.entry({ name: entry.name, type: 'directory' });
    else pack.entry({ name: entry.name, size: entry.data?.length ?? 0 }, Buffer.from(entry.data ?? []));
  }
  pack.finalize();
  await collecting;
  return new Uint8Array(Buffer.concat(out));
}

describe('verifyKeptPackage: a kept package verified again in place', () => {
  it('verifies the vector and gives the span of its image; keptImage reads exactly the image from it', async () => {
    const file = fileOf(vector);
    const verified = await verifyKeptPackage(file, trusted);
    expect(verified.manifest.version).toBe('2.5.0');
    expect(verified.imageSpan.size).toBe(image.length);
    const reader = keptImage(file, 'id', verified.imageSpan);
    expect(Buffer.from(await reader.read(0, reader.length)).equals(image)).toBe(true);
    expect(Buffer.from(await reader.read(100, 50)).equals(image.subarray(100, 150))).toBe(true);
  });

  it('refuses what the streaming verification of an upload refuses, with the same code', async () => {
    const parts = { manifest: readFileSync(join(fixtures, 'vector-ed25519.manifest.json')), image, signature: vector.subarray(0, 0) };
    const spans = await findFwpkgSpans(async (offset, length) => vector.subarray(offset, offset + length), vector.length);
    const signature = vector.subarray(spans.signature!.offset, spans.signature!.offset + spans.signature!.size);
    const cases: Record<string, Uint8Array> = {
      'as built': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image }, { name: 'manifest.sig', data: signature }]),
      'other order': await tarOf([{ name: 'manifest.sig', data: signature }, { name: 'firmware.bin', data: image }, { name: 'manifest.json', data: parts.manifest }]),
      unsigned: await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image }]),
      'image altered': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: Uint8Array.from(image, (b, i) => (i === 7 ? b ^ 1 : b)) }, { name: 'manifest.sig', data: signature }]),
      'image short': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image.subarray(1) }, { name: 'manifest.sig', data: signature }]),
      'manifest altered': await tarOf([{ name: 'manifest.json', data: Uint8Array.from(parts.manifest, (b, i) => (i === 40 ? b ^ 1 : b)) }, { name: 'firmware.bin', data: image }, { name: 'manifest.sig', data: signature }]),
      'extra entry': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image }, { name: 'manifest.sig', data: signature }, { name: 'notes.txt', data: new Uint8Array(3) }]),
      'image twice': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image }, { name: 'firmware.bin', data: image }, { name: 'manifest.sig', data: signature }]),
      directory: await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', type: 'directory' }, { name: 'manifest.sig', data: signature }]),
      'no image': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'manifest.sig', data: signature }]),
      'a long name (pax)': await tarOf([{ name: 'manifest.json', data: parts.manifest }, { name: 'firmware.bin', data: image }, { name: `${'d'.repeat(150)}/manifest.sig`, data: signature }]),
      truncated: vector.subarray(0, 2000),
      empty: new Uint8Array(0),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const file = fileOf(bytes);
      const streamed = await outcome(verifyPackageFile(file, trusted));
      expect({ name, code: await outcome(verifyKeptPackage(file, trusted)) }).toEqual({ name, code: streamed });
    }
    expect(await outcome(verifyKeptPackage(fileOf(cases['as built']!), trusted))).toBe('ok');
    expect(await outcome(verifyKeptPackage(fileOf(cases['image altered']!), trusted))).toBe('FWPKG_IMAGE_TAMPERED');
  });

  it('any one byte of the vector changed: the same verdict as the streaming verification', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 0, max: vector.length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
      const bytes = Uint8Array.from(vector);
      bytes[at]! ^= flip;
      const file = fileOf(bytes);
      expect(await outcome(verifyKeptPackage(file, trusted))).toBe(await outcome(verifyPackageFile(file, trusted)));
    }), { numRuns: 300 });
  });
});
