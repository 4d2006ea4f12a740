import type { FwpkgManifest } from '../fwpkg/manifest.js';
import type { FwpkgPrivateKey, FwpkgPublicKey } from '../fwpkg/keys.js';
import { signManifest } from '../fwpkg/signature.js';
import { canonicalJson } from './canonicalJson.js';
import { decodeMetadata, type Metadata, type Role, type SignedOf, type Target } from './metadata.js';
import type { MeasuredTarget } from './verifyMetadata.js';

/**
 * A metadata document signed by each of `keys` over the canonical bytes of `signed` (SPEC.md §3), written as
 * two-space JSON with sorted keys and a final LF, then read back through the decoder so a document that
 * would be refused is never written.
 */
export function signMetadata<R extends Role>(role: R, signed: SignedOf[R], keys: readonly FwpkgPrivateKey[]): Metadata<R> {
  const canonical = canonicalJson(signed);
  const message = new TextEncoder().encode(canonical);
  const signatures = keys.map((key) => ({ keyId: key.publicKey.keyId, sig: Buffer.from(signManifest(message, key)).toString('hex') }));
  const text = `${JSON.stringify({ signatures, signed: JSON.parse(canonical) as unknown }, null, 2)}\n`;
  return decodeMetadata(new TextEncoder().encode(text), role);
}

/** A root's `keys` entry for a public key. */
export function keyEntry(key: FwpkgPublicKey): { algorithm: FwpkgPublicKey['algorithm']; public: string } {
  return { algorithm: key.algorithm, public: Buffer.from(key.raw).toString('hex') };
}

/** `expires` as metadata writes it: UTC to the second. */
export function expiresAt(date: Date): string {
  return new Date(Math.floor(date.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** The target of a package file: named by its SHA-256, with what its verified manifest says. */
export function targetOf(measured: MeasuredTarget, manifest: Pick<FwpkgManifest, 'models' | 'version' | 'paths'>): Target {
  return {
    name: `targets/${measured.sha256}.fwpkg`, length: measured.length, sha256: measured.sha256, sm3: measured.sm3,
    models: [...manifest.models], version: manifest.version, paths: [...manifest.paths],
  };
}
