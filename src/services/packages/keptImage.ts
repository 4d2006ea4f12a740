import { open } from 'node:fs/promises';
import { GatewayError } from '../../../contracts/errors/index.js';
import { findImageSpan, ImageMeasurer, type FwpkgManifest, type ImageSpan } from '../../../protocols/fwpkg/index.js';

/** firmware.bin of a kept package, read block by block from its file (structurally the upgrade's FirmwareImageReader). */
export interface KeptImageReader {
  readonly length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes read at a time while measuring the image. */
const MEASURE_CHUNK = 256 * 1024;

async function readAt(file: string, packageId: string, position: number, length: number): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    // Removed (DELETE /v1/packages/{id}) while in use: the job stops here; the register keeps what it runs.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new GatewayError('FWPKG_NOT_FOUND', { params: { packageId }, cause: error });
    throw error;
  }
  try {
    const buffer = Buffer.allocUnsafeSlow(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The image of a kept, verified package as a reader over its file, never held whole: its span in the tar found
 * from the headers, then measured (SHA-256, SM3, size) against the verified manifest, so the span is the checked
 * image (FWPKG_IMAGE_TAMPERED otherwise). Each read opens the file: no descriptor outlives a read. The bytes sent
 * are checked once more by the register, whose digest of what it received (64/04) must match the manifest.
 */
export async function keptImage(file: string, packageId: string, manifest: FwpkgManifest): Promise<KeptImageReader> {
  const handle = await open(file, 'r');
  let span: ImageSpan;
  const measurer = new ImageMeasurer();
  try {
    const { size } = await handle.stat();
    const read = async (position: number, length: number) => {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    };
    span = await findImageSpan(read, size);
    const chunk = Buffer.allocUnsafeSlow(Math.min(MEASURE_CHUNK, span.size));
    for (let at = 0; at < span.size;) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, span.size - at), span.offset + at);
      if (bytesRead === 0) break;
      measurer.update(chunk.subarray(0, bytesRead));
      at += bytesRead;
    }
  } finally {
    await handle.close();
  }
  const digest = measurer.digest();
  if (digest.size !== manifest.size || digest.sha256 !== manifest.sha256 || digest.sm3 !== manifest.sm3) {
    throw new GatewayError('FWPKG_IMAGE_TAMPERED', { params: { digest: digest.sha256 !== manifest.sha256 ? 'SHA-256' : 'SM3' } });
  }
  const { offset, size } = span;
  return {
    length: size,
    read(at, length) {
      const end = Math.min(size, at + length);
      if (!Number.isInteger(at) || at < 0 || end <= at) return Promise.resolve(new Uint8Array(0));
      return readAt(file, packageId, offset + at, end - at);
    },
  };
}
