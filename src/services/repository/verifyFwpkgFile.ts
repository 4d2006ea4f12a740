import { createReadStream } from 'node:fs';
import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import { ImageMeasurer, readFwpkgStream, verifyPackageParts, type FwpkgPublicKey, type VerifiedPackage } from '../../../protocols/fwpkg/index.js';

/**
 * A `.fwpkg` file verified as it is read (protocols/fwpkg/SPEC.md §6) against the keys the repository's root
 * lists for packages. A signer the root does not list is the repository's refusal, REPO_UNKNOWN_KEY.
 */
export async function verifyFwpkgFile(file: string, keys: readonly FwpkgPublicKey[]): Promise<VerifiedPackage> {
  const measurer = new ImageMeasurer();
  try {
    const head = await readFwpkgStream(createReadStream(file, { highWaterMark: 256 * 1024 }), (chunk) => measurer.update(chunk));
    return verifyPackageParts(head.manifest, head.signature, measurer.digest(), keys);
  } catch (error) {
    if (isGatewayError(error) && error.code === 'FWPKG_UNKNOWN_KEY') {
      throw new GatewayError('REPO_UNKNOWN_KEY', { params: { file, role: 'packages', keyIds: String(error.params?.keyId ?? '?') }, cause: error });
    }
    throw error;
  }
}
