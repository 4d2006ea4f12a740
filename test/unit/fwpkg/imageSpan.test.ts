import fc from 'fast-check';
import { pack as tarPack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { findImageSpan, packFwpkg, unpackFwpkg } from '../../../protocols/fwpkg/index.js';

const reader = (bytes: Uint8Array) => async (offset: number, length: number) => bytes.subarray(offset, offset + length);
const spanOf = (bytes: Uint8Array) => findImageSpan(reader(bytes), bytes.length);

/** A tar with pax headers (tar-stream writes one for names and values ustar cannot hold), for archives packFwpkg never writes. */
async function tarOf(entries: { name: string; data: Uint8Array; pax?: Record<string, string> }[]): Promise<Uint8Array> {
  const pack = tarPack();
  const out: Uint8Array[] = [];
  const collecting = (async () => { for await (const chunk of pack as AsyncIterable<Uint8Array>) out.push(chunk); })();
  for (const entry of entries) pack.entry({ name: entry.name, size: entry.data.length, ...(entry.pax === undefined ? {} : { pax: entry.pax }) }, Buffer.from(entry.data));
  pack.finalize();
  await collecting;
  return new Uint8Array(Buffer.concat(out));
}

describe('findImageSpan: where firmware.bin lies in a .fwpkg', () => {
  it('in any package packFwpkg writes, the span holds exactly the image unpackFwpkg reads', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uint8Array({ minLength: 1, maxLength: 3000 }), fc.uint8Array({ minLength: 0, maxLength: 700 }), fc.uint8Array({ minLength: 0, maxLength: 80 }),
      async (image, manifest, signature) => {
        const bytes = await packFwpkg({ manifest, image, signature }, new Date(0));
        const span = await spanOf(bytes);
        expect(span.size).toBe(image.length);
        expect(Buffer.from(bytes.subarray(span.offset, span.offset + span.size)).equals(Buffer.from((await unpackFwpkg(bytes)).image))).toBe(true);
      },
    ), { numRuns: 60 });
  });

  it('after pax extended headers, in any member order', async () => {
    const image = Uint8Array.from({ length: 1500 }, (_, i) => (i * 7) & 0xff);
    const bytes = await tarOf([
      { name: 'manifest.sig', data: new Uint8Array(64).fill(1), pax: { comment: 'x'.repeat(300) } },
      { name: 'firmware.bin', data: image, pax: { comment: 'y'.repeat(700) } },
      { name: 'manifest.json', data: new Uint8Array(10) },
    ]);
    const span = await spanOf(bytes);
    expect(Buffer.from(bytes.subarray(span.offset, span.offset + span.size)).equals(Buffer.from(image))).toBe(true);
  });

  it('a pax path names the member: a header named otherwise whose pax path is firmware.bin is the image', async () => {
    const bytes = await tarOf([
      { name: 'decoy', data: new Uint8Array(600).fill(1), pax: { path: 'firmware.bin' } },
      { name: 'other', data: new Uint8Array(10).fill(2), pax: { path: 'manifest.json' } },
    ]);
    const span = await spanOf(bytes);
    expect(bytes[span.offset]).toBe(1);
    expect(span.size).toBe(600);
    const renamedAway = await tarOf([{ name: 'firmware.bin', data: new Uint8Array(600), pax: { path: 'other.bin' } }, { name: 'manifest.json', data: new Uint8Array(10) }]);
    await expect(spanOf(renamedAway)).rejects.toMatchObject({ code: 'FWPKG_MALFORMED' });
  });

  it('no image member, or a truncated archive: FWPKG_MALFORMED, never a span past the end', async () => {
    const withoutImage = await tarOf([{ name: 'manifest.json', data: new Uint8Array(10) }]);
    await expect(spanOf(withoutImage)).rejects.toMatchObject({ code: 'FWPKG_MALFORMED' });
    const full = await packFwpkg({ manifest: new Uint8Array(5), image: new Uint8Array(5000).fill(3), signature: new Uint8Array(64) }, new Date(0));
    await expect(spanOf(full.subarray(0, 2048))).rejects.toMatchObject({ code: 'FWPKG_MALFORMED' });
    await expect(spanOf(new Uint8Array(0))).rejects.toMatchObject({ code: 'FWPKG_MALFORMED' });
  });

  it('any bytes: a span inside the bytes or FWPKG_MALFORMED, nothing else', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ minLength: 0, maxLength: 3000 }), async (bytes) => {
      try {
        const span = await spanOf(bytes);
        expect(span.offset + span.size).toBeLessThanOrEqual(bytes.length);
      } catch (error) {
        expect(error).toMatchObject({ code: 'FWPKG_MALFORMED' });
      }
    }), { numRuns: 300 });
  });
});
