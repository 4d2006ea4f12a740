/**
 * firmware.bin as an upgrade reads it, block by block: from the kept package file (the daemon: the image is never
 * held whole) or from bytes in memory (a package a path holds anyway, tests).
 */
export interface FirmwareImageReader {
  readonly length: number;
  /** image[offset, offset + length) (shorter only at the image's end); the caller never changes it (it may be a view). */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** The image of a package for use: its bytes, or a reader of them. */
export type FirmwareImage = Uint8Array | FirmwareImageReader;

/** Reads any FirmwareImage block by block (bytes in memory give views of themselves, no copy). */
export function imageReader(image: FirmwareImage): FirmwareImageReader {
  if (!(image instanceof Uint8Array)) return image;
  return {
    length: image.length,
    read: (offset, length) => Promise.resolve(image.subarray(offset, Math.min(image.length, offset + length))),
  };
}
