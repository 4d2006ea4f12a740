import { GatewayError } from '../../contracts/errors/index.js';
import { FWPKG_ENTRY, unpackFwpkg, type ReadLimits } from './fwpkgTar.js';
import { measureImage, type ImageDigest } from './imageDigest.js';
import type { FwpkgPublicKey } from './keys.js';
import { claimedKeyId, parseManifestBytes, type FwpkgManifest } from './manifest.js';
import { verifyManifestSignature } from './signature.js';

export interface VerifiedPackage {
  readonly manifest: FwpkgManifest;
  /** The exact signed bytes of `manifest.json`. */
  readonly manifestBytes: Uint8Array;
  /** The trusted key that signed it. */
  readonly key: FwpkgPublicKey;
}

/** The signature, then the manifest it covers: which key, is it that key's, is what it signed well formed. */
function authenticate(manifestBytes: Uint8Array, signature: Uint8Array, trusted: readonly FwpkgPublicKey[]): FwpkgPublicKey {
  if (signature.length === 0) throw new GatewayError('FWPKG_UNSIGNED', { params: { entry: FWPKG_ENTRY.signature } });
  const keyId = claimedKeyId(manifestBytes);
  const named = trusted.find((key) => key.keyId === keyId);
  if (named) {
    if (!verifyManifestSignature(manifestBytes, signature, named)) throw new GatewayError('FWPKG_MANIFEST_TAMPERED', { params: { keyId: named.keyId } });
    return named;
  }
  // The manifest names no trusted key: it was signed by another key, or its key id was altered. A trusted
  // key that did sign these bytes would mean the manifest is authentic but names the wrong signer.
  const signer = trusted.find((key) => verifyManifestSignature(manifestBytes, signature, key));
  if (signer) throw new GatewayError('FWPKG_MALFORMED', { params: { detail: `manifest.json names key ${keyId ?? '(none)'} but was signed by ${signer.keyId}`, detailZh: `manifest.json 写的密钥是 ${keyId ?? '（无）'}，签名却来自 ${signer.keyId}` } });
  if (keyId !== undefined && /^(ed25519|sm2):[0-9a-f]{32}$/.test(keyId)) {
    throw new GatewayError('FWPKG_UNKNOWN_KEY', { params: { keyId, trusted: trusted.length } });
  }
  throw new GatewayError('FWPKG_MANIFEST_TAMPERED', { params: { keyId: keyId ?? '(unreadable)' } });
}

/**
 * Verifies a package from its manifest bytes, its signature and the measured image (SPEC.md, "Verification
 * order"). Every refusal is a GatewayError with its own code; nothing of the manifest is believed before the
 * signature over its exact bytes verifies with a trusted key.
 */
export function verifyPackageParts(
  manifestBytes: Uint8Array, signature: Uint8Array, image: ImageDigest, trusted: readonly FwpkgPublicKey[],
): VerifiedPackage {
  const key = authenticate(manifestBytes, signature, trusted);
  const manifest = parseManifestBytes(manifestBytes);
  if (image.size !== manifest.size) {
    throw new GatewayError('FWPKG_SIZE_MISMATCH', { params: { expected: manifest.size, actual: image.size } });
  }
  if (image.sha256 !== manifest.sha256) throw new GatewayError('FWPKG_IMAGE_TAMPERED', { params: { digest: 'SHA-256' } });
  if (image.sm3 !== manifest.sm3) throw new GatewayError('FWPKG_IMAGE_TAMPERED', { params: { digest: 'SM3' } });
  return { manifest, manifestBytes, key };
}

/** Verifies an in-memory `.fwpkg`. */
export async function verifyFwpkg(bytes: Uint8Array, trusted: readonly FwpkgPublicKey[], limits: ReadLimits = {}): Promise<VerifiedPackage & { readonly image: Uint8Array }> {
  const parts = await unpackFwpkg(bytes, limits);
  return { ...verifyPackageParts(parts.manifest, parts.signature, measureImage(parts.image), trusted), image: parts.image };
}
