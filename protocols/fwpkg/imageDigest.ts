import { createHash, type Hash } from 'node:crypto';

/** What the manifest says of `firmware.bin`, measured. */
export interface ImageDigest {
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
  /** Lower-case hex (GB/T 32905). */
  readonly sm3: string;
}

/**
 * Measures an image fed in pieces (an upload streamed to disk never needs the whole image in memory). Both
 * digests are always computed: a package must match both, so neither alone can be attacked.
 */
export class ImageMeasurer {
  private readonly sha256 = createHash('sha256');
  private readonly sm3: Hash = createHash('sm3');
  private size = 0;

  update(chunk: Uint8Array): void {
    this.sha256.update(chunk);
    this.sm3.update(chunk);
    this.size += chunk.length;
  }

  digest(): ImageDigest {
    return { size: this.size, sha256: this.sha256.digest('hex'), sm3: this.sm3.digest('hex') };
  }
}

export function measureImage(image: Uint8Array): ImageDigest {
  const measurer = new ImageMeasurer();
  measurer.update(image);
  return measurer.digest();
}
