// Decoder fuzz target for the kept-package tar walk (protocols/fwpkg/imageSpan.ts): the daemon reads a kept
// package's image block by block at the span findFwpkgSpans gives, so any bytes must give spans inside the file
// that agree with what the streaming reader (readFwpkgStream, which read the upload) makes of the same bytes, or
// a FWPKG_* refusal from both. A disagreement, a span outside the bytes or any other throw is a crash.
import { createHash } from 'node:crypto';
import tar from 'tar-stream';
import { isGatewayError } from '../../contracts/errors/index.js';
import { findFwpkgSpans, findImageSpan, readFwpkgStream, type ImageSpan } from '../../protocols/fwpkg/index.js';
import type { FuzzTarget } from './decoderFuzz.js';

const LIMITS = { maxImageBytes: 1 << 20 };
const broken = (what: string) => new Error(`property broken: ${what}`);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

type Verdict<T> = { ok: true; value: T } | { ok: false; code: string; error: unknown };

async function verdict<T>(run: () => Promise<T>): Promise<Verdict<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    // Only the package reader's own refusals are answers; anything else goes up as a crash.
    if (isGatewayError(error) && error.code.startsWith('FWPKG_')) return { ok: false, code: error.code, error };
    throw error;
  }
}

function inside(span: ImageSpan, length: number, what: string): void {
  if (!Number.isInteger(span.offset) || !Number.isInteger(span.size) || span.offset < 0 || span.size < 0 || span.offset + span.size > length) {
    throw broken(`${what} span ${span.offset}+${span.size} outside a file of ${length} bytes`);
  }
}

/** The spans of `bytes` checked against the streaming reader's verdict on the same bytes. */
export async function checkSpansAgainstStream(bytes: Uint8Array): Promise<number> {
  const read = (offset: number, length: number) => Promise.resolve(bytes.subarray(offset, offset + length));
  const spans = await verdict(() => findFwpkgSpans(read, bytes.length, LIMITS));
  const image = createHash('sha256');
  const stream = await verdict(() => readFwpkgStream([bytes], (chunk) => image.update(chunk), LIMITS));
  if (spans.ok !== stream.ok) {
    throw broken(`the tar walk ${spans.ok ? 'accepts' : `refuses (${spans.code})`} what the stream reader ${stream.ok ? 'accepts' : `refuses (${stream.code})`}`);
  }
  if (!spans.ok) throw spans.error;
  if (!stream.ok) throw stream.error;
  const { manifest, image: imageSpan, signature } = spans.value;
  for (const [what, span] of [['manifest', manifest], ['image', imageSpan], ['signature', signature]] as const) if (span !== undefined) inside(span, bytes.length, what);
  const at = (span: ImageSpan | undefined) => (span === undefined ? new Uint8Array(0) : bytes.subarray(span.offset, span.offset + span.size));
  if (sha(at(manifest)) !== sha(stream.value.manifest)) throw broken('the manifest at its span is not the one the stream reader read');
  if (sha(at(signature)) !== sha(stream.value.signature)) throw broken('the signature at its span is not the one the stream reader read');
  if (imageSpan.size !== stream.value.imageBytes || sha(at(imageSpan)) !== image.digest('hex')) throw broken('the image at its span is not the one the stream reader read');
  const alone = await verdict(() => findImageSpan(read, bytes.length));
  if (!alone.ok || alone.value.offset !== imageSpan.offset || alone.value.size !== imageSpan.size) throw broken('findImageSpan disagrees with findFwpkgSpans');
  return imageSpan.size;
}

/**
 * `bytes` with the checksum of every block that looks like a ustar header set right: a mutated header then gets
 * past the checksum to the rules behind it (sizes, types, names, pax records) instead of being refused at once.
 */
export function withHeaderChecksums(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  for (let at = 0; at + 512 <= out.length; at += 512) {
    if (out[at + 257] !== 0x75 || out[at + 258] !== 0x73 || out[at + 259] !== 0x74) continue;
    out.fill(0x20, at + 148, at + 156);
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += out[at + i]!;
    out.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1'), at + 148);
  }
  return out;
}

/** A package whose member names come from pax `path` records (the ustar names say otherwise), as tar-stream writes them. */
export async function paxNamedPackage(parts: { readonly manifest: Uint8Array; readonly image: Uint8Array; readonly signature: Uint8Array }): Promise<Uint8Array> {
  const pack = tar.pack();
  pack.entry({ name: 'm', pax: { path: 'manifest.json' } }, Buffer.from(parts.manifest));
  pack.entry({ name: 'f', pax: { path: 'firmware.bin', comment: 'pax' } }, Buffer.from(parts.image));
  pack.entry({ name: 'manifest.sig' }, Buffer.from(parts.signature));
  pack.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export function fwpkgSpanTarget(seeds: readonly Uint8Array[]): FuzzTarget {
  return {
    name: 'fwpkg.spans', seeds, maxLength: 8000,
    // Half the inputs as mutated, half with their header checksums repaired.
    decode: (bytes) => checkSpansAgainstStream((bytes[bytes.length >> 1] ?? 0) & 1 ? withHeaderChecksums(bytes) : bytes),
  };
}
