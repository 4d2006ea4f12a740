import { open, type FileHandle } from 'node:fs/promises';
import { GatewayError } from '../../../contracts/errors/index.js';
import {
  findFwpkgSpans, ImageMeasurer, verifyPackageParts, type FwpkgPublicKey, type ImageSpan, type ReadLimits, type VerifiedPackage,
} from '../../../protocols/fwpkg/index.js';

/** firmware.bin of a kept package, read block by block from its file (structurally the upgrade's FirmwareImageReader). */
export interface KeptImageReader {
  readonly length: number;
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes read at a time while measuring the image: one buffer, reused. */
const MEASURE_CHUNK = 256 * 1024;

async function readExactly(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const buffer = Buffer.allocUnsafe(length);
  const { bytesRead } = await handle.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}

/**
 * A kept `.fwpkg` file verified again in place (SPEC.md §6, against the keys given now): its members found from
 * the tar headers under the container rules (findFwpkgSpans), the manifest and signature read (small), the image
 * measured through one reused buffer. Reading it allocates nothing per chunk, so verifying an 8 MiB package
 * leaves no 8 MiB of buffers for the garbage collector (a stream's chunks would); the upload, which arrives as a
 * stream, is verified by readFwpkgStream. Refusals are the protocol's GatewayErrors.
 */
export async function verifyKeptPackage(file: string, trusted: readonly FwpkgPublicKey[], limits: ReadLimits = {}): Promise<VerifiedPackage & { readonly imageSpan: ImageSpan }> {
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const spans = await findFwpkgSpans((position, length) => readExactly(handle, position, length), size, limits);
    const manifest = await readExactly(handle, spans.manifest.offset, spans.manifest.size);
    const signature = spans.signature === undefined ? new Uint8Array(0) : await readExactly(handle, spans.signature.offset, spans.signature.size);
    const measurer = new ImageMeasurer();
    const chunk = Buffer.allocUnsafeSlow(Math.max(1, Math.min(MEASURE_CHUNK, spans.image.size)));
    for (let at = 0; at < spans.image.size;) {
      const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, spans.image.size - at), spans.image.offset + at);
      if (bytesRead === 0) break;
      measurer.update(chunk.subarray(0, bytesRead));
      at += bytesRead;
    }
    return { ...verifyPackageParts(manifest, signature, measurer.digest(), trusted), imageSpan: spans.image };
  } finally {
    await handle.close();
  }
}

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
 * The image of a kept package as a reader over its file at the span its verification measured (verifyKeptPackage),
 * never held whole. Each read opens the file: no descriptor outlives a read. The bytes sent are checked once more
 * by the register, whose digest of what it received (GB link 64/04) must match the manifest before activation.
 */
export function keptImage(file: string, packageId: string, span: ImageSpan): KeptImageReader {
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
