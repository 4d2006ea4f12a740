import { pack } from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import { readTar } from '../../../protocols/codec/tar/readTar.js';
import { readFwpkgStream } from '../../../protocols/fwpkg/index.js';

async function tarOf(entries: readonly { name: string; data: Uint8Array }[]): Promise<Uint8Array> {
  const archive = pack();
  for (const { name, data } of entries) archive.entry({ name }, Buffer.from(data));
  archive.finalize();
  const parts: Uint8Array[] = [];
  for await (const part of archive as AsyncIterable<Uint8Array>) parts.push(part);
  return new Uint8Array(Buffer.concat(parts));
}

/** The header at `at` with a size field tar-stream decodes as null (a base-256 mark other than 80 or FF), its checksum set right. */
function withUnreadableSize(bytes: Uint8Array, at: number): Uint8Array {
  const out = Uint8Array.from(bytes);
  out.set(Buffer.from('\xb000000000000', 'latin1'), at + 124);
  out.fill(0x20, at + 148, at + 156);
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += out[at + i]!;
  out.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1'), at + 148);
  return out;
}

// Found by the reliability campaign's differential fuzzing of the kept-package tar walk against the stream reader
// (scripts/campaign/fwpkgSpanTargets.ts): tar-stream takes a size it cannot decode (null) as a size, since
// `null >= 0`, and waits for that entry's data forever, so the read never settled (an upload would hang).
describe('a tar header whose size field cannot be read', () => {
  it('is refused with the caller\'s error, not waited on forever', async () => {
    const bytes = withUnreadableSize(await tarOf([{ name: 'a', data: Uint8Array.of(1, 2, 3) }]), 0);
    const outcome = await readTar((async function* () { yield bytes; })(), () => () => undefined).then(() => 'read', (error: unknown) => error);
    expect(isGatewayError(outcome, 'DECODE_ERROR'), String(outcome)).toBe(true);
  });

  it('makes a firmware package FWPKG_MALFORMED, as the kept-package walk (findFwpkgSpans) says', async () => {
    const good = await tarOf([{ name: 'manifest.json', data: Buffer.from('{}') }, { name: 'firmware.bin', data: new Uint8Array(600) }, { name: 'manifest.sig', data: new Uint8Array(64) }]);
    // The third header: manifest.json (512 + 512), firmware.bin (512 + 1024).
    const bytes = withUnreadableSize(good, 2560);
    const outcome = await readFwpkgStream([bytes], () => undefined).then(() => 'read', (error: unknown) => error);
    expect(isGatewayError(outcome, 'FWPKG_MALFORMED'), String(outcome)).toBe(true);
  });
});
