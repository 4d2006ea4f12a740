import { readTar } from '../codec/tar/readTar.js';
import { tarStream, type TarHeader, type TarSource } from '../codec/tar/tarStream.js';
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

/** `detailZh` says the same in Chinese (GatewayError fills {detail} with it in the zh message). */
function malformed(detail: string, detailZh: string): GatewayError {
  return new GatewayError('FWPKG_MALFORMED', { params: { detail, detailZh } });
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * Reads a `.fwpkg` from a stream of byte chunks (the project's tar codec, protocols/codec/tar): exactly
 * `manifest.json`, `firmware.bin` and (unless unsigned) `manifest.sig`, plain files, each once, in any order;
 * anything else is FWPKG_MALFORMED. The image goes to `onImageChunk` as it arrives (to a digest, to disk), so no
 * size of image is ever held here. A source that fails while read (an I/O error) ends it with its own error.
 */
export async function readFwpkgStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onImageChunk: (chunk: Uint8Array) => void, limits: ReadLimits = {},
): Promise<FwpkgHead> {
  const maxImage = limits.maxImageBytes ?? MAX_IMAGE_BYTES;
  const small: Partial<Record<'manifest' | 'signature', Uint8Array[]>> = {};
  let image: { bytes: number } | undefined;
  let sourceFailure: unknown;
  const guarded = (async function* () {
    try {
      yield* source;
    } catch (error) {
      sourceFailure = error;
      throw error;
    }
  })();
  const visit = (header: TarHeader): ((chunk: Uint8Array) => void) => {
    const { name, type, size } = header;
    if (type !== 'file') throw malformed(`"${name}" is a ${type} entry; a package holds three plain files`, `“${name}”不是普通文件；升级包只含三个普通文件`);
    if (name === FWPKG_ENTRY.image) {
      if (image !== undefined) throw malformed(`${name} appears twice`, `${name} 出现了两次`);
      if (size > maxImage) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit: maxImage } });
      const seen = { bytes: 0 };
      image = seen;
      return (chunk) => {
        seen.bytes += chunk.length;
        onImageChunk(chunk);
      };
    }
    const which = name === FWPKG_ENTRY.manifest ? 'manifest' : name === FWPKG_ENTRY.signature ? 'signature' : undefined;
    if (which === undefined) throw malformed(`unexpected entry "${name}"; a package holds only ${Object.values(FWPKG_ENTRY).join(', ')}`, `多余的条目“${name}”；升级包只含 ${Object.values(FWPKG_ENTRY).join('、')}`);
    if (small[which] !== undefined) throw malformed(`${name} appears twice`, `${name} 出现了两次`);
    const limit = which === 'manifest' ? MAX_MANIFEST_BYTES : MAX_SIGNATURE_BYTES;
    if (size > limit) throw malformed(`${name} is ${size} bytes, over the ${limit}-byte limit`, `${name} 有 ${size} 字节，超过 ${limit} 字节上限`);
    const chunks: Uint8Array[] = [];
    small[which] = chunks;
    return (chunk) => chunks.push(chunk);
  };
  try {
    await readTar(guarded, visit, (detail) => malformed(`not a readable tar: ${detail}`, '不是可读的 tar 归档'));
  } catch (error) {
    if (sourceFailure !== undefined) throw sourceFailure;
    throw error;
  }
  if (small.manifest === undefined) throw malformed(`no ${FWPKG_ENTRY.manifest}`, `缺少 ${FWPKG_ENTRY.manifest}`);
  if (image === undefined) throw malformed(`no ${FWPKG_ENTRY.image}`, `缺少 ${FWPKG_ENTRY.image}`);
  return { manifest: concat(small.manifest), signature: concat(small.signature ?? []), imageBytes: image.bytes };
}

/** The three members of an in-memory `.fwpkg`. */
export async function unpackFwpkg(bytes: Uint8Array, limits: ReadLimits = {}): Promise<FwpkgParts> {
  const chunks: Uint8Array[] = [];
  const head = await readFwpkgStream([bytes], (chunk) => chunks.push(chunk), limits);
  return { manifest: head.manifest, signature: head.signature, image: concat(chunks) };
}

/**
 * A `.fwpkg` as bytes: ustar entries `manifest.json`, `firmware.bin`, `manifest.sig` in that order, mode 0644,
 * owner 0/0 with no names, `mtime` for all three (protocols/codec/tar fixes the rest); so equal inputs give
 * equal bytes.
 */
export async function packFwpkg(parts: FwpkgParts, mtime: Date): Promise<Uint8Array> {
  const seconds = Math.floor(mtime.getTime() / 1000);
  const entry = (name: string, data: Uint8Array): TarSource => ({
    header: { name, type: 'file', size: data.length, mode: 0o644, mtime: seconds },
    content: async function* () { yield data; },
  });
  const out: Uint8Array[] = [];
  for await (const chunk of tarStream([entry(FWPKG_ENTRY.manifest, parts.manifest), entry(FWPKG_ENTRY.image, parts.image), entry(FWPKG_ENTRY.signature, parts.signature)])) {
    out.push(chunk);
  }
  return concat(out);
}
