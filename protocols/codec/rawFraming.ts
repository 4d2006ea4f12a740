import { GatewayError } from '../../contracts/errors/index.js';

/**
 * The `<kind>.raw` file: the bytes exactly as the register or card gave them, one chunk per reply,
 * so a later decoder can be run over them again. A 6-byte magic `FGRAW1`, then per chunk a
 * big-endian u32 length and the bytes. The `raw` field of a JSON Lines record is its chunk index.
 */
export const RAW_MAGIC = Uint8Array.from(Buffer.from('FGRAW1', 'ascii'));

export function encodeRawChunk(bytes: Uint8Array): Uint8Array {
  const framed = new Uint8Array(4 + bytes.length);
  new DataView(framed.buffer).setUint32(0, bytes.length, false);
  framed.set(bytes, 4);
  return framed;
}

export function decodeRawFile(file: Uint8Array): Uint8Array[] {
  if (file.length < RAW_MAGIC.length || !RAW_MAGIC.every((b, i) => file[i] === b)) {
    throw new GatewayError('DECODE_ERROR', { params: { detail: 'raw backup file does not start with FGRAW1' } });
  }
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const chunks: Uint8Array[] = [];
  let at = RAW_MAGIC.length;
  while (at < file.length) {
    if (at + 4 > file.length) throw new GatewayError('DECODE_ERROR', { params: { detail: `raw chunk ${chunks.length} has a truncated length` } });
    const length = view.getUint32(at, false);
    if (at + 4 + length > file.length) throw new GatewayError('DECODE_ERROR', { params: { detail: `raw chunk ${chunks.length} is truncated` } });
    chunks.push(file.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return chunks;
}
