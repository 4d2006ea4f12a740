import { BackupManifestSchema, CHECKSUMS_FILE, MANIFEST_FILE, MANIFEST_HASH_FILE, type BackupManifest } from './BackupManifest.js';
import { parseSha256Sums, renderSha256Sums } from './sha256sums.js';

export interface ObservedFile {
  readonly bytes: number;
  readonly sha256: string;
}

export type VerifyFailureReason = 'missing' | 'size' | 'hash' | 'unlisted' | 'invalid';

export interface VerifyFailure {
  /** Path inside the backup folder, e.g. `cards/fiscal-EF02.raw`. */
  readonly file: string;
  readonly reason: VerifyFailureReason;
  readonly detail: string;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly manifest?: BackupManifest;
  readonly failures: readonly VerifyFailure[];
}

/** The small files whose content the judgement reads; the rest is judged by size and hash only. */
export interface ControlFiles {
  readonly manifest?: Uint8Array;
  readonly manifestHash?: string;
  readonly checksums?: string;
}

const controlFiles = new Set([MANIFEST_FILE, MANIFEST_HASH_FILE, CHECKSUMS_FILE]);

/**
 * Judges a backup from what was found on disk or in an archive: every file of the manifest present
 * with its size and SHA-256, no file the manifest does not name, the manifest matching
 * `manifest.sha256`, and `SHA256SUMS` agreeing with the manifest. A wrong manifest hash is pinned
 * on the file that is wrong by asking the second witness, SHA256SUMS.
 */
export function judgeBackup(observed: ReadonlyMap<string, ObservedFile>, control: ControlFiles, expectedId?: string): VerifyReport {
  const failures: VerifyFailure[] = [];
  const fail = (file: string, reason: VerifyFailureReason, detail: string) => failures.push({ file, reason, detail });
  const done = (manifest?: BackupManifest): VerifyReport => ({ ok: failures.length === 0, manifest, failures });

  const manifestFile = observed.get(MANIFEST_FILE);
  if (manifestFile === undefined || control.manifest === undefined) {
    fail(MANIFEST_FILE, 'missing', 'the backup has no manifest');
    return done();
  }
  const hashed = control.manifestHash === undefined ? undefined : parseSha256Sums(control.manifestHash);
  const sums = control.checksums === undefined ? undefined : parseSha256Sums(control.checksums);
  if (control.manifestHash === undefined) fail(MANIFEST_HASH_FILE, 'missing', 'the manifest hash file is missing');
  else if (hashed === undefined || hashed.size !== 1 || !hashed.has(MANIFEST_FILE)) fail(MANIFEST_HASH_FILE, 'invalid', 'not a sha256sum line for manifest.json');
  if (control.checksums === undefined) fail(CHECKSUMS_FILE, 'missing', 'the checksum list is missing');
  else if (sums === undefined) fail(CHECKSUMS_FILE, 'invalid', 'not in sha256sum format');

  const hashSays = hashed?.get(MANIFEST_FILE);
  const sumsSay = sums?.get(MANIFEST_FILE);
  if (hashSays !== undefined && hashSays !== manifestFile.sha256) {
    if (sumsSay === manifestFile.sha256) fail(MANIFEST_HASH_FILE, 'hash', 'records a hash that manifest.json and SHA256SUMS do not have');
    else {
      fail(MANIFEST_FILE, 'hash', 'does not match manifest.sha256');
      return done();
    }
  } else if (hashSays === undefined && sumsSay !== manifestFile.sha256) {
    fail(MANIFEST_FILE, 'hash', 'no witness confirms the manifest');
    return done();
  }

  let manifest: BackupManifest;
  try {
    manifest = BackupManifestSchema.parse(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(control.manifest)));
  } catch (error) {
    fail(MANIFEST_FILE, 'invalid', `not a valid backup manifest: ${(error as Error).message.slice(0, 200)}`);
    return done();
  }
  if (expectedId !== undefined && manifest.id !== expectedId) fail(MANIFEST_FILE, 'invalid', `names backup ${manifest.id}, expected ${expectedId}`);

  const listed = new Set<string>();
  for (const entry of manifest.files) {
    listed.add(entry.path);
    const found = observed.get(entry.path);
    if (found === undefined) fail(entry.path, 'missing', 'named in the manifest but absent');
    else if (found.bytes !== entry.bytes) fail(entry.path, 'size', `${found.bytes} bytes, the manifest says ${entry.bytes}`);
    else if (found.sha256 !== entry.sha256) fail(entry.path, 'hash', 'SHA-256 differs from the manifest');
  }
  for (const path of [...observed.keys()].sort()) {
    if (!listed.has(path) && !controlFiles.has(path)) fail(path, 'unlisted', 'not named in the manifest');
  }
  if (sums !== undefined) {
    const expected = renderSha256Sums([...manifest.files, { path: MANIFEST_FILE, sha256: manifestFile.sha256 }]);
    if (control.checksums !== expected) fail(CHECKSUMS_FILE, 'hash', 'does not agree with the manifest');
  }
  return done(manifest);
}
