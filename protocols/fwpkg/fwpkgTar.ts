import { extract as tarExtract, pack as tarPack, type Extract } from 'tar-stream';
import { GatewayError } from '../../contracts/errors/index.js';
import { MAX_IMAGE_BYTES, MAX_MANIFEST_BYTES } from './manifest.js';

/** The three members of a `.fwpkg`, by their names in the tar. */
export const FWPKG_ENTRY = { manifest: 'manifest.json', image: 'firmware.bin', signature: 'manifest.sig' } as const;

/** An SM2 signature in DER is at most 72 bytes, Ed25519 64: anything near this limit is not a signature. */
export const MAX_SIGNATURE_BYTES = 1024;

export interface FwpkgParts {
  /** The exact bytes of `manifest.json` (the signed bytes). */
  readonly manifest: Uint8Array;
  readonly image: Uint8Array;
  /** The bytes of `manifest.sig`; empty when the package has none. */
  readonly signature: Uint8Array;
}

/** What reading a package stream yields besides the image, which goes to the caller's sink piece by piece. */
export interface FwpkgHead {
  readonly manifest: Uint8Array;
  readonly signature: Uint8Array;
  readonly imageBytes: number;
}

export interface ReadLimits {
  /** Largest `firmware.bin` accepted (default the u32 the wire can carry). */
  readonly maxImageBytes?: number;
}

function malformed(detail: string, cause?: unknown): GatewayError {
  return new GatewayError('FWPKG_MALFORMED', { params: { detail }, ...(cause === undefined ? {} : { cause }) });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes the source into the extractor; a source that fails (a read error) ends the extractor with that error. */
async function feed(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, extract: Extract): Promise<void> {
  try {
    for await (const chunk of source) {
      if (extract.destroyed) return;
      if (!extract.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = () => { extract.off('drain', done); extract.off('close', done); resolve(); };
          extract.on('drain', done);
          extract.on('close', done);
        });
      }
    }
  } catch (error) {
    extract.destroy(error as Error);
    throw error;
  }
  // streamx's end() takes no callback (a function would be written as data).
  if (!extract.destroyed) (extract as unknown as { end(): void }).end();
}

async function collectEntries(extract: Extract, onImageChunk: (chunk: Uint8Array) => void, limits: ReadLimits): Promise<FwpkgHead> {
  const maxImage = limits.maxImageBytes ?? MAX_IMAGE_BYTES;
  const small: Partial<Record<'manifest' | 'signature', Uint8Array>> = {};
  let imageBytes: number | undefined;
  for await (const entry of extract) {
    const { name, type, size = 0 } = entry.header;
    if (type !== 'file') throw malformed(`"${name}" is a ${type ?? 'special'} entry; a package holds three plain files`);
    if (name === FWPKG_ENTRY.image) {
      if (imageBytes !== undefined) throw malformed(`${name} appears twice`);
      if (size > maxImage) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit: maxImage } });
      let seen = 0;
      for await (const chunk of entry as AsyncIterable<Uint8Array>) {
        seen += chunk.length;
        onImageChunk(chunk);
      }
      imageBytes = seen;
      continue;
    }
    const which = name === FWPKG_ENTRY.manifest ? 'manifest' : name === FWPKG_ENTRY.signature ? 'signature' : undefined;
    if (which === undefined) throw malformed(`unexpected entry "${name}"; a package holds only ${Object.values(FWPKG_ENTRY).join(', ')}`);
    if (small[which] !== undefined) throw malformed(`${name} appears twice`);
    const limit = which === 'manifest' ? MAX_MANIFEST_BYTES : MAX_SIGNATURE_BYTES;
    if (size > limit) throw malformed(`${name} is ${size} bytes, over the ${limit}-byte limit`);
    const chunks: Uint8Array[] = [];
    for await (const chunk of entry as AsyncIterable<Uint8Array>) chunks.push(chunk);
    small[which] = concat(chunks);
  }
  if (small.manifest === undefined) throw malformed(`no ${FWPKG_ENTRY.manifest}`);
  if (imageBytes === undefined) throw malformed(`no ${FWPKG_ENTRY.image}`);
  return { manifest: small.manifest, signature: small.signature ?? new Uint8Array(0), imageBytes };
}

/**
 * Reads a `.fwpkg` from a stream of byte chunks: exactly `manifest.json`, `firmware.bin` and (unless unsigned)
 * `manifest.sig`, plain files, each once, in any order; anything else is FWPKG_MALFORMED. The image goes to
 * `onImageChunk` as it arrives (to a digest, to disk), so no size of image is ever held here.
 */
export async function readFwpkgStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onImageChunk: (chunk: Uint8Array) => void, limits: ReadLimits = {},
): Promise<FwpkgHead> {
  const extract = tarExtract();
  const feeding = feed(source, extract);
  // Handled below, but perhaps only after the entries fail in turn: never an unhandled rejection meanwhile.
  feeding.catch(() => undefined);
  try {
    const head = await collectEntries(extract, onImageChunk, limits);
    await feeding;
    return head;
  } catch (error) {
    extract.destroy();
    // A source that could not be read is its own failure (the caller's I/O), not a damaged package.
    const sourceFailure = await feeding.then(() => undefined, (failure: unknown) => failure);
    if (sourceFailure !== undefined) throw sourceFailure;
    if (error instanceof GatewayError) throw error;
    throw malformed(`not a readable tar: ${(error as Error).message}`, error);
  }
}

/** The three members of an in-memory `.fwpkg`. */
export async function unpackFwpkg(bytes: Uint8Array, limits: ReadLimits = {}): Promise<FwpkgParts> {
  const chunks: Uint8Array[] = [];
  const head = await readFwpkgStream([bytes], (chunk) => chunks.push(chunk), limits);
  return { manifest: head.manifest, signature: head.signature, image: concat(chunks) };
}

/**
 * A `.fwpkg` as bytes: ustar entries `manifest.json`, `firmware.bin`, `manifest.sig` in that order, mode 0644,
 * owner 0/0 with no names, `mtime` for all three; so equal inputs give equal bytes.
 */
export async function packFwpkg(parts: FwpkgParts, mtime: Date): Promise<Uint8Array> {
  const pack = tarPack();
  const out: Uint8Array[] = [];
  const collecting = (async () => {
    for await (const chunk of pack as AsyncIterable<Uint8Array>) out.push(chunk);
  })();
  const entry = (name: string, data: Uint8Array) => new Promise<void>((resolve, reject) => {
    pack.entry({ name, size: data.length, mode: 0o644, mtime, uid: 0, gid: 0, uname: '', gname: '', type: 'file' }, Buffer.from(data.buffer, data.byteOffset, data.length), (error) => (error ? reject(error) : resolve()));
  });
  await entry(FWPKG_ENTRY.manifest, parts.manifest);
  await entry(FWPKG_ENTRY.image, parts.image);
  await entry(FWPKG_ENTRY.signature, parts.signature);
  pack.finalize();
  await collecting;
  return concat(out);
}
