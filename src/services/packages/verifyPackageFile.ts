import { createReadStream } from 'node:fs';
import {
  ImageMeasurer, readFwpkgStream, verifyPackageParts, type FwpkgPublicKey, type ReadLimits, type VerifiedPackage,
} from '../../../protocols/fwpkg/index.js';

/**
 * Verifies a `.fwpkg` file as it is read (SPEC.md §6): the image is hashed chunk by chunk and never held whole,
 * so an 8 MiB or a 1 GiB package costs the same memory. Refusals are the protocol's GatewayErrors.
 */
export async function verifyPackageFile(path: string, trusted: readonly FwpkgPublicKey[], limits: ReadLimits = {}): Promise<VerifiedPackage> {
  const measurer = new ImageMeasurer();
  const head = await readFwpkgStream(createReadStream(path, { highWaterMark: 256 * 1024 }), (chunk) => measurer.update(chunk), limits);
  return verifyPackageParts(head.manifest, head.signature, measurer.digest(), trusted);
}
