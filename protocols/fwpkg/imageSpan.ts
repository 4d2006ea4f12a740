import { GatewayError } from '../../contracts/errors/index.js';
import { FWPKG_ENTRY, MAX_SIGNATURE_BYTES, type ReadLimits } from './fwpkgTar.js';
import { MAX_IMAGE_BYTES, MAX_MANIFEST_BYTES } from './manifest.js';

/** Where a member's bytes lie in a `.fwpkg` file: an uncompressed tar keeps a member's data contiguous after its header. */
export interface ImageSpan {
  /** Byte offset of the member's first byte in the package. */
  readonly offset: number;
  readonly size: number;
}

/** The three members of a kept `.fwpkg`, found in place (the signature's span is absent when it has none). */
export interface FwpkgSpans {
  readonly manifest: ImageSpan;
  readonly image: ImageSpan;
  readonly signature?: ImageSpan;
}

/** Reads `length` bytes of the package at `offset` (fewer at its end). */
export type PackageBytesReader = (offset: number, length: number) => Promise<Uint8Array>;

const BLOCK = 512;
/** Largest pax or GNU long-name data read (tar-stream's limit). */
const MAX_EXTENSION_BYTES = 4 * 1024 * 1024;

function malformed(detail: string, detailZh: string): GatewayError {
  return new GatewayError('FWPKG_MALFORMED', { params: { detail, detailZh } });
}
const unreadable = (detail: string) => malformed(`not a readable tar: ${detail}`, '不是可读的 tar 归档');

// The header rules below are tar-stream's (protocols/codec/tar reads uploads with it), so a kept package is
// read in place exactly as its upload was: the same members, the same names, the same sizes, the same refusals.

function indexOf(bytes: Uint8Array, value: number, from: number, end: number): number {
  for (let i = from; i < end; i++) if (bytes[i] === value) return i;
  return end;
}

function text(bytes: Uint8Array, from: number, length: number): string {
  return Buffer.from(bytes.subarray(from, indexOf(bytes, 0, from, from + length))).toString('utf8');
}

/** A numeric field: base-256 after 0x80 or 0xFF, else octal after leading spaces and NULs up to a space. */
function numberField(header: Uint8Array, from: number, length: number): number | null {
  const field = header.subarray(from, from + length);
  if ((field[0]! & 0x80) !== 0) {
    if (field[0] !== 0x80 && field[0] !== 0xff) return null;
    let value = 0;
    for (let i = 1; i < field.length; i++) value = value * 256 + (field[0] === 0xff ? 0xff - field[i]! : field[i]!);
    return field[0] === 0xff ? -(value + 1) : value;
  }
  let at = 0;
  while (at < field.length && field[at] === 0x20) at++;
  const end = indexOf(field, 0x20, at, field.length);
  while (at < end && field[at] === 0) at++;
  return end === at ? 0 : parseInt(Buffer.from(field.subarray(at, end)).toString('latin1'), 8);
}

/** The header's sum with its checksum field counted as spaces; 256 alone is an empty (null) block. */
function checksum(header: Uint8Array): number {
  let sum = 8 * 0x20;
  for (let i = 0; i < 148; i++) sum += header[i]!;
  for (let i = 156; i < BLOCK; i++) sum += header[i]!;
  return sum;
}

const equalsAt = (bytes: Uint8Array, at: number, expected: readonly number[]) => expected.every((b, i) => bytes[at + i] === b);
const USTAR = [0x75, 0x73, 0x74, 0x61, 0x72, 0x00];
const GNU = [0x75, 0x73, 0x74, 0x61, 0x72, 0x20];

/** Pax records (`"%d key=value\n"`). */
function paxRecords(data: Uint8Array): Record<string, string> {
  const records: Record<string, string> = {};
  let rest = data;
  while (rest.length > 0) {
    const space = indexOf(rest, 0x20, 0, rest.length);
    const length = parseInt(Buffer.from(rest.subarray(0, space)).toString('latin1'), 10);
    if (!length) break;
    const record = Buffer.from(rest.subarray(space + 1, length - 1)).toString('utf8');
    const equals = record.indexOf('=');
    if (equals === -1) break;
    records[record.slice(0, equals)] = record.slice(equals + 1);
    rest = rest.subarray(length);
  }
  if (records.path?.includes('\0') === true || records.linkpath?.includes('\0') === true) throw unreadable('a pax path holds a NUL byte');
  return records;
}

/** One member of the tar as its headers say: name (pax path or GNU long name applied), type flag, data span. */
interface TarMember extends ImageSpan { readonly name: string; readonly type: string }

const LONG_HEADERS = new Set(['x', 'g', 'L', 'N', 'K']);

/**
 * Walks the tar to the end of the bytes (empty blocks skipped), handing each member to `visit` as soon as its
 * header is read, before its data is looked at (a member refused by its header is refused as tar-stream does).
 */
async function walkTar(read: PackageBytesReader, packageBytes: number, visit: (member: TarMember) => void): Promise<void> {
  let at = 0;
  let longPath: string | undefined;
  let pax: Record<string, string> | undefined;
  let paxGlobal: Record<string, string> | undefined;
  while (at < packageBytes) {
    const header = await read(at, BLOCK);
    if (header.length < BLOCK) throw unreadable('unexpected end of data');
    at += BLOCK;
    const sum = checksum(header);
    if (sum === 8 * 0x20) continue;
    if (sum !== numberField(header, 148, 8)) throw unreadable('invalid tar header');
    if (!equalsAt(header, 257, USTAR) && !(equalsAt(header, 257, GNU) && equalsAt(header, 263, [0x20, 0x00]))) throw unreadable('invalid tar header: unknown format');
    let type = String.fromCharCode(header[156]!);
    let name = text(header, 0, 100);
    if (equalsAt(header, 257, USTAR) && header[345] !== 0) name = `${text(header, 345, 155)}/${name}`;
    if ((type === '\0' || type === '0') && name.endsWith('/')) type = '5';
    let size = numberField(header, 124, 12);
    const dataAt = at;
    if (LONG_HEADERS.has(type)) {
      if (size === null || !(size >= 0) || size > MAX_EXTENSION_BYTES) throw unreadable('header exceeds max size');
      if (dataAt + size > packageBytes) throw unreadable('unexpected end of data');
      const data = await read(dataAt, size);
      at = dataAt + Math.ceil(size / BLOCK) * BLOCK;
      if (at > packageBytes) throw unreadable('unexpected end of data');
      if (type === 'L' || type === 'N') longPath = text(data, 0, data.length);
      else if (type === 'g') paxGlobal = paxRecords(data);
      else if (type === 'x') pax = { ...paxGlobal, ...paxRecords(data) };
      continue;
    }
    if (longPath !== undefined) name = longPath;
    longPath = undefined;
    if (pax !== undefined) {
      if (pax.path) name = pax.path;
      if (pax.size) size = parseInt(pax.size, 10);
    }
    pax = undefined;
    if (size === null || !(size >= 0)) throw unreadable('invalid header');
    const dataBytes = type === '5' ? 0 : size;
    visit({ name: name.replace(/\/$/, ''), type, offset: dataAt, size: dataBytes });
    at = dataAt + Math.ceil(dataBytes / BLOCK) * BLOCK;
    if (at > packageBytes) throw unreadable('unexpected end of data');
  }
}

const PLAIN_FILE = new Set(['0', '\0', '7']);
const TYPE_NAMES: Record<string, string> = { 1: 'link', 2: 'symlink', 3: 'character-device', 4: 'block-device', 5: 'directory', 6: 'fifo' };

/**
 * The three members of a kept `.fwpkg` found in place by walking its tar headers (ustar, pax `path`, GNU long
 * names, checksums checked), under the container rules readFwpkgStream applies (SPEC.md §1): exactly
 * `manifest.json`, `firmware.bin` and at most one `manifest.sig`, plain files, each once, within their size
 * limits; FWPKG_MALFORMED or FWPKG_TOO_LARGE otherwise. Only headers are read: the caller reads the members (an
 * image of any size is measured in place, never held).
 */
export async function findFwpkgSpans(read: PackageBytesReader, packageBytes: number, limits: ReadLimits = {}): Promise<FwpkgSpans> {
  const maxImage = limits.maxImageBytes ?? MAX_IMAGE_BYTES;
  const found: Partial<Record<'manifest' | 'image' | 'signature', ImageSpan>> = {};
  await walkTar(read, packageBytes, ({ name, type, offset, size }) => {
    if (!PLAIN_FILE.has(type)) {
      const kind = TYPE_NAMES[type] ?? `type ${type}`;
      throw malformed(`"${name}" is a ${kind} entry; a package holds three plain files`, `“${name}”不是普通文件；升级包只含三个普通文件`);
    }
    const which = name === FWPKG_ENTRY.image ? 'image' : name === FWPKG_ENTRY.manifest ? 'manifest' : name === FWPKG_ENTRY.signature ? 'signature' : undefined;
    if (which === undefined) throw malformed(`unexpected entry "${name}"; a package holds only ${Object.values(FWPKG_ENTRY).join(', ')}`, `多余的条目“${name}”；升级包只含 ${Object.values(FWPKG_ENTRY).join('、')}`);
    if (found[which] !== undefined) throw malformed(`${name} appears twice`, `${name} 出现了两次`);
    if (which === 'image' && size > maxImage) throw new GatewayError('FWPKG_TOO_LARGE', { params: { limit: maxImage } });
    const limit = which === 'manifest' ? MAX_MANIFEST_BYTES : which === 'signature' ? MAX_SIGNATURE_BYTES : Infinity;
    if (size > limit) throw malformed(`${name} is ${size} bytes, over the ${limit}-byte limit`, `${name} 有 ${size} 字节，超过 ${limit} 字节上限`);
    found[which] = { offset, size };
  });
  if (found.manifest === undefined) throw malformed(`no ${FWPKG_ENTRY.manifest}`, `缺少 ${FWPKG_ENTRY.manifest}`);
  if (found.image === undefined) throw malformed(`no ${FWPKG_ENTRY.image}`, `缺少 ${FWPKG_ENTRY.image}`);
  return { manifest: found.manifest, image: found.image, ...(found.signature === undefined ? {} : { signature: found.signature }) };
}

/** Where `firmware.bin`'s bytes lie in a package (findFwpkgSpans' image). */
export async function findImageSpan(read: PackageBytesReader, packageBytes: number): Promise<ImageSpan> {
  return (await findFwpkgSpans(read, packageBytes)).image;
}
