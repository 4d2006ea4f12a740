import { GatewayError } from '../../../../contracts/errors/index.js';

/** POSIX ustar (IEEE 1003.1-1988) header blocks: just regular files and directories. */
export const BLOCK = 512;

export type TarEntryType = 'file' | 'directory';

export interface TarHeader {
  readonly name: string;
  readonly type: TarEntryType;
  readonly size: number;
  readonly mode: number;
  /** Seconds since the epoch. */
  readonly mtime: number;
}

const encoder = new TextEncoder();

function putString(block: Uint8Array, offset: number, length: number, value: string): void {
  const bytes = encoder.encode(value);
  if (bytes.length > length) throw new GatewayError('INTERNAL', { params: { detail: `tar field too long: ${value}` } });
  block.set(bytes, offset);
}

function putOctal(block: Uint8Array, offset: number, length: number, value: number): void {
  putString(block, offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
}

function checksum(block: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : block[i];
  return sum;
}

/** Splits a path into ustar's prefix (≤155) and name (≤100) at a slash. */
function splitName(path: string): { prefix: string; name: string } {
  if (encoder.encode(path).length <= 100) return { prefix: '', name: path };
  for (let cut = path.lastIndexOf('/'); cut > 0; cut = path.lastIndexOf('/', cut - 1)) {
    const prefix = path.slice(0, cut);
    const name = path.slice(cut + 1);
    if (encoder.encode(prefix).length <= 155 && encoder.encode(name).length <= 100) return { prefix, name };
  }
  throw new GatewayError('INTERNAL', { params: { detail: `path too long for ustar: ${path}` } });
}

export function encodeHeader(header: TarHeader): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const { prefix, name } = splitName(header.type === 'directory' && !header.name.endsWith('/') ? `${header.name}/` : header.name);
  putString(block, 0, 100, name);
  putOctal(block, 100, 8, header.mode);
  putOctal(block, 108, 8, 0);
  putOctal(block, 116, 8, 0);
  putOctal(block, 124, 12, header.type === 'directory' ? 0 : header.size);
  putOctal(block, 136, 12, header.mtime);
  block[156] = header.type === 'directory' ? 0x35 : 0x30;
  putString(block, 257, 6, 'ustar\0');
  putString(block, 263, 2, '00');
  putString(block, 345, 155, prefix);
  putString(block, 148, 8, `${checksum(block).toString(8).padStart(6, '0')}\0 `);
  return block;
}

function readString(block: Uint8Array, offset: number, length: number): string {
  const field = block.subarray(offset, offset + length);
  const end = field.indexOf(0);
  return new TextDecoder().decode(end === -1 ? field : field.subarray(0, end));
}

function readOctal(block: Uint8Array, offset: number, length: number, what: string): number {
  const text = readString(block, offset, length).trim();
  if (!/^[0-7]*$/.test(text)) throw invalid(`bad ${what} field`);
  return text === '' ? 0 : parseInt(text, 8);
}

function invalid(detail: string): GatewayError {
  return new GatewayError('BACKUP_ARCHIVE_INVALID', { params: { detail } });
}

export function isZeroBlock(block: Uint8Array): boolean {
  return block.every((byte) => byte === 0);
}

/**
 * Reads one header block. Accepts POSIX ustar and the GNU `ustar  ` magic; refuses links, devices
 * and extension headers, which a backup never holds.
 */
export function decodeHeader(block: Uint8Array): TarHeader {
  const magic = readString(block, 257, 6);
  if (magic !== 'ustar' && magic !== 'ustar  ') throw invalid('not a ustar archive');
  const recorded = readOctal(block, 148, 8, 'checksum');
  if (recorded !== checksum(block)) throw invalid('header checksum mismatch');
  const prefix = readString(block, 345, 155);
  const base = readString(block, 0, 100);
  const name = prefix === '' ? base : `${prefix}/${base}`;
  const flag = block[156];
  const type: TarEntryType | undefined = flag === 0x30 || flag === 0 ? 'file' : flag === 0x35 ? 'directory' : undefined;
  if (type === undefined) throw invalid(`entry ${name} has unsupported type '${String.fromCharCode(flag)}'`);
  return { name: name.replace(/\/$/, ''), type, size: readOctal(block, 124, 12, 'size'), mode: readOctal(block, 100, 8, 'mode'), mtime: readOctal(block, 136, 12, 'mtime') };
}
