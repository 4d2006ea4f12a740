import { GatewayError } from '../../contracts/errors/index.js';
import { FWPKG_ENTRY } from './fwpkgTar.js';

/** Where `firmware.bin`'s bytes lie in a `.fwpkg` file: an uncompressed tar keeps a member's data contiguous after its header. */
export interface ImageSpan {
  /** Byte offset of the image's first byte in the package. */
  readonly offset: number;
  readonly size: number;
}

/** Reads `length` bytes of the package at `offset` (fewer at its end). */
export type PackageBytesReader = (offset: number, length: number) => Promise<Uint8Array>;

const BLOCK = 512;
/** Most headers walked: a package has three members, a pax or GNU long-name header before each at most. */
const MAX_HEADERS = 16;
/** Largest pax or GNU long-name data read (a name, never anything near this). */
const MAX_EXTENSION_BYTES = 64 * 1024;

const notFound = (detail: string) => new GatewayError('FWPKG_MALFORMED', { params: { detail, detailZh: '找不到 firmware.bin 的数据位置' } });

function ascii(bytes: Uint8Array, from: number, to: number): string {
  let end = from;
  while (end < to && bytes[end] !== 0) end++;
  return Buffer.from(bytes.subarray(from, end)).toString('utf8');
}

/** A header's size field: octal digits, or base-256 when its first byte has the high bit set. */
function sizeField(header: Uint8Array): number {
  if ((header[124]! & 0x80) !== 0) {
    let value = header[124]! & 0x7f;
    for (let i = 125; i < 136; i++) value = value * 256 + header[i]!;
    return value;
  }
  const text = ascii(header, 124, 136).trim();
  if (!/^[0-7]*$/.test(text)) throw notFound(`tar size field "${text}" is not octal`);
  return text === '' ? 0 : parseInt(text, 8);
}

/** The `path` record of pax extended header data (`"%d path=%s\n"` records). */
function paxPath(data: Uint8Array): string | undefined {
  const text = Buffer.from(data).toString('utf8');
  let path: string | undefined;
  for (let at = 0; at < text.length;) {
    const space = text.indexOf(' ', at);
    const length = Number(text.slice(at, space));
    if (space < 0 || !Number.isInteger(length) || length <= 0) break;
    const record = text.slice(space + 1, at + length - 1);
    if (record.startsWith('path=')) path = record.slice('path='.length);
    at += length;
  }
  return path;
}

/**
 * Finds `firmware.bin`'s data in a package by walking its tar headers (ustar, pax `path`, GNU long names), reading
 * only the headers. Use it on a package whose contents were verified (readFwpkgStream refuses an archive with the
 * image twice or any other member); then measure the span and compare it with the manifest, which is what proves
 * it: a span found wrongly measures wrong and is refused. FWPKG_MALFORMED when no image member is found.
 */
export async function findImageSpan(read: PackageBytesReader, packageBytes: number): Promise<ImageSpan> {
  let at = 0;
  let longName: string | undefined;
  for (let headers = 0; headers < MAX_HEADERS && at + BLOCK <= packageBytes; headers++) {
    const header = await read(at, BLOCK);
    if (header.length < BLOCK) break;
    if (header.every((b) => b === 0)) break;
    const size = sizeField(header);
    const type = String.fromCharCode(header[156]!);
    const dataAt = at + BLOCK;
    const next = dataAt + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x' || type === 'L') {
      if (size > MAX_EXTENSION_BYTES) throw notFound(`a ${size}-byte tar extension header`);
      const data = await read(dataAt, size);
      longName = type === 'x' ? paxPath(data) ?? longName : ascii(data, 0, data.length);
      at = next;
      continue;
    }
    const ustar = ascii(header, 257, 263) === 'ustar' && header[262] === 0;
    const prefix = ustar ? ascii(header, 345, 500) : '';
    const name = (longName ?? (prefix === '' ? ascii(header, 0, 100) : `${prefix}/${ascii(header, 0, 100)}`)).replace(/\/$/, '');
    longName = undefined;
    const plainFile = type === '0' || type === '\0' || type === '7';
    if (type !== 'g' && plainFile && name === FWPKG_ENTRY.image) {
      if (dataAt + size > packageBytes) throw notFound(`${FWPKG_ENTRY.image} runs past the end of the package`);
      return { offset: dataAt, size };
    }
    at = next;
  }
  throw notFound(`no ${FWPKG_ENTRY.image} member found`);
}
