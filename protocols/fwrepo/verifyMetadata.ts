import { createHash } from 'node:crypto';
import { GatewayError } from '../../contracts/errors/index.js';
import { verifyManifestSignature } from '../fwpkg/signature.js';
import { decodeMetadata, rootFileOfVersion, ROLE_FILE, rootKey, type FileMeta, type Metadata, type Role, type RootSigned, type Target } from './metadata.js';

type SignedRole = Exclude<Role, never>;

/**
 * Whether `document` carries valid signatures of at least the threshold of distinct keys `root` lists for
 * `role`. None valid and some by keys the root does not list for the role: REPO_UNKNOWN_KEY; otherwise too
 * few valid: REPO_THRESHOLD_NOT_MET. Signatures by other keys are ignored, never counted.
 */
export function checkThreshold(document: Metadata, root: RootSigned, role: SignedRole, file: string = ROLE_FILE[document.role]): void {
  const { keyIds, threshold } = root.roles[role];
  const valid = new Set<string>();
  const foreign: string[] = [];
  for (const { keyId, sig } of document.signatures) {
    if (!keyIds.includes(keyId)) {
      foreign.push(keyId);
      continue;
    }
    if (verifyManifestSignature(document.signedBytes, sig, rootKey(root, keyId)!)) valid.add(keyId);
  }
  if (valid.size === 0 && foreign.length > 0) {
    throw new GatewayError('REPO_UNKNOWN_KEY', { params: { file, role, keyIds: [...new Set(foreign)].join(', ') } });
  }
  if (valid.size < threshold) throw new GatewayError('REPO_THRESHOLD_NOT_MET', { params: { file, role, valid: valid.size, threshold } });
}

/** Metadata whose `expires` is not after `now` is frozen: refused (SPEC.md §6). */
export function checkNotExpired(document: Metadata, now: Date, file: string = ROLE_FILE[document.role]): void {
  if (Date.parse(document.signed.expires) <= now.getTime()) {
    throw new GatewayError('REPO_METADATA_EXPIRED', { params: { file, version: document.signed.version, expires: document.signed.expires } });
  }
}

function rollback(file: string, version: number, trusted: number): GatewayError {
  return new GatewayError('REPO_ROLLBACK', { params: { file, version, trusted } });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);

/**
 * The root that follows `trusted`: exactly version N+1 (another is REPO_ROOT_VERSION_SKIPPED, an older one
 * REPO_ROLLBACK), signed by the threshold of the trusted root's root keys AND of its own. Its expiry is not
 * checked here: only the newest root of a chain must be current (SPEC.md §6 step 1).
 */
export function verifyNextRoot(bytes: Uint8Array, trusted: RootSigned): Metadata<'root'> {
  const expected = trusted.version + 1;
  const file = rootFileOfVersion(expected);
  const candidate = decodeMetadata(bytes, 'root', file);
  if (candidate.signed.version < expected) throw rollback(file, candidate.signed.version, trusted.version);
  if (candidate.signed.version !== expected) {
    throw new GatewayError('REPO_ROOT_VERSION_SKIPPED', { params: { file, expected, actual: candidate.signed.version } });
  }
  checkThreshold(candidate, trusted, 'root', file);
  checkThreshold(candidate, candidate.signed, 'root', file);
  return candidate;
}

/** A root trusted by configuration (the first one): signed by its own root threshold, and well formed. */
export function verifyInitialRoot(bytes: Uint8Array, file = 'root.json'): Metadata<'root'> {
  const root = decodeMetadata(bytes, 'root', file);
  checkThreshold(root, root.signed, 'root', file);
  return root;
}

/**
 * A file read against what the role above it signs: never more than `meta.length` bytes (the reader stops
 * at the cap, REPO_LENGTH_EXCEEDED), and exactly that length with that SHA-256 (else REPO_DIGEST_MISMATCH).
 */
export function checkFileMeta(bytes: Uint8Array, meta: Pick<FileMeta, 'length' | 'sha256'>, file: string): void {
  if (bytes.length > meta.length) throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file, length: meta.length } });
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== meta.length || sha256 !== meta.sha256) {
    throw new GatewayError('REPO_DIGEST_MISMATCH', { params: { file, digest: bytes.length !== meta.length ? `length ${bytes.length} ≠ ${meta.length}` : 'SHA-256' } });
  }
}

/**
 * The timestamp: signed by the timestamp threshold; not older than the trusted one (a same version must be the
 * same bytes), naming a snapshot not older than the trusted timestamp named; not expired.
 */
export function verifyTimestamp(bytes: Uint8Array, root: RootSigned, trusted: Metadata<'timestamp'> | undefined, now: Date): Metadata<'timestamp'> {
  const file = ROLE_FILE.timestamp;
  const candidate = decodeMetadata(bytes, 'timestamp');
  checkThreshold(candidate, root, 'timestamp');
  if (trusted) {
    const { version } = candidate.signed;
    if (version < trusted.signed.version || (version === trusted.signed.version && !sameBytes(bytes, trusted.bytes))) throw rollback(file, version, trusted.signed.version);
    const named = candidate.signed.meta['snapshot.json'].version;
    const trustedNamed = trusted.signed.meta['snapshot.json'].version;
    if (named < trustedNamed) throw rollback('snapshot.json', named, trustedNamed);
  }
  checkNotExpired(candidate, now);
  return candidate;
}

/** The snapshot the timestamp names (length, SHA-256 and version), signed, not older than the trusted one, not expired. */
export function verifySnapshot(bytes: Uint8Array, root: RootSigned, timestamp: Metadata<'timestamp'>, trusted: Metadata<'snapshot'> | undefined, now: Date): Metadata<'snapshot'> {
  return verifyNamed(bytes, 'snapshot', root, timestamp.signed.meta['snapshot.json'], trusted, now, (candidate) => {
    if (!trusted) return;
    const named = candidate.signed.meta['targets.json'].version;
    const trustedNamed = trusted.signed.meta['targets.json'].version;
    if (named < trustedNamed) throw rollback('targets.json', named, trustedNamed);
  });
}

/** The targets the snapshot names (length, SHA-256 and version), signed, not older than the trusted one, not expired. */
export function verifyTargets(bytes: Uint8Array, root: RootSigned, snapshot: Metadata<'snapshot'>, trusted: Metadata<'targets'> | undefined, now: Date): Metadata<'targets'> {
  return verifyNamed(bytes, 'targets', root, snapshot.signed.meta['targets.json'], trusted, now, () => undefined);
}

function verifyNamed<R extends 'snapshot' | 'targets'>(
  bytes: Uint8Array, role: R, root: RootSigned, meta: FileMeta, trusted: Metadata<R> | undefined, now: Date, more: (candidate: Metadata<R>) => void,
): Metadata<R> {
  const file = ROLE_FILE[role];
  checkFileMeta(bytes, meta, file);
  const candidate = decodeMetadata(bytes, role);
  checkThreshold(candidate, root, role);
  if (candidate.signed.version !== meta.version) {
    throw new GatewayError('REPO_METADATA_MALFORMED', { params: { file, detail: `version ${candidate.signed.version}, but the metadata above names version ${meta.version}` } });
  }
  if (trusted) {
    const { version } = candidate.signed;
    if (version < trusted.signed.version || (version === trusted.signed.version && !sameBytes(bytes, trusted.bytes))) throw rollback(file, version, trusted.signed.version);
    more(candidate);
  }
  checkNotExpired(candidate, now);
  return candidate;
}

/** What a downloaded target measured. */
export interface MeasuredTarget {
  readonly length: number;
  readonly sha256: string;
  readonly sm3: string;
}

/** A downloaded package against its target: exactly its length and both digests (REPO_DIGEST_MISMATCH otherwise). */
export function checkTargetFile(measured: MeasuredTarget, target: Target): void {
  if (measured.length > target.length) throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file: target.name, length: target.length } });
  if (measured.length !== target.length) throw new GatewayError('REPO_DIGEST_MISMATCH', { params: { file: target.name, digest: `length ${measured.length} ≠ ${target.length}` } });
  if (measured.sha256 !== target.sha256) throw new GatewayError('REPO_DIGEST_MISMATCH', { params: { file: target.name, digest: 'SHA-256' } });
  if (measured.sm3 !== target.sm3) throw new GatewayError('REPO_DIGEST_MISMATCH', { params: { file: target.name, digest: 'SM3' } });
}

/** The package's own signed manifest must say what the target says: models, version, paths (mix-and-match otherwise). */
export function checkTargetManifest(manifest: { readonly models: readonly string[]; readonly version: string; readonly paths: readonly string[] }, target: Target): void {
  const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((x, i) => x === [...b].sort()[i]);
  const differs = [
    ...(same(manifest.models, target.models) ? [] : [`models ${manifest.models.join(',')} ≠ ${target.models.join(',')}`]),
    ...(manifest.version === target.version ? [] : [`version ${manifest.version} ≠ ${target.version}`]),
    ...(same(manifest.paths, target.paths) ? [] : [`paths ${manifest.paths.join(',')} ≠ ${target.paths.join(',')}`]),
  ];
  if (differs.length > 0) throw new GatewayError('REPO_TARGET_MISMATCH', { params: { file: target.name, detail: differs.join('; ') } });
}
