import { z } from 'zod';
import { GatewayError } from '../../contracts/errors/index.js';
import { isFirmwareVersion, type FirmwareVersion } from '../fwpkg/FirmwareVersion.js';
import { KEY_ALGORITHMS, keyIdOf, type FwpkgPublicKey } from '../fwpkg/keys.js';
import { UPGRADE_PATHS } from '../fwpkg/manifest.js';
import { canonicalJsonBytes } from './canonicalJson.js';

/** The `spec` of every metadata document this code writes and reads (SPEC.md). */
export const FWREPO_SPEC = 'fiscal-repo/1';

export const ROLES = ['root', 'targets', 'snapshot', 'timestamp'] as const;
export type Role = (typeof ROLES)[number];

/** The file each role is published as (root also as `<version>.root.json`). */
export const ROLE_FILE: Record<Role, string> = { root: 'root.json', targets: 'targets.json', snapshot: 'snapshot.json', timestamp: 'timestamp.json' };

/**
 * Most bytes read of a document whose length nothing signed names yet (root, timestamp). Snapshot and targets
 * are read up to the length the timestamp and the snapshot sign (SPEC.md §6, endless data).
 */
export const MAX_METADATA_BYTES: Record<Role, number> = { root: 512 * 1024, timestamp: 16 * 1024, snapshot: 64 * 1024, targets: 4 * 1024 * 1024 };

export const rootFileOfVersion = (version: number) => `${version}.root.json`;

/**
 * Where a snapshot or targets version is published (TUF's consistent snapshots): `N.snapshot.json`,
 * `N.targets.json`, never replaced, so a gateway reading while the vendor publishes always finds the version the
 * document above names (SPEC.md §1).
 */
export const versionedFile = (role: 'snapshot' | 'targets', version: number) => `${version}.${ROLE_FILE[role]}`;

const utcSecond = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { message: 'expected UTC time to the second, e.g. 2026-12-05T12:00:00Z' })
  .refine((text) => !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().replace('.000Z', 'Z') === text, { message: 'not a real time' });
const version = z.number().int().min(1).max(0x7fff_ffff);
const keyId = z.string().regex(/^(ed25519|sm2):[0-9a-f]{32}$/, { message: 'expected ed25519:<32 hex> or sm2:<32 hex>' });
const hex256 = z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected 64 lower-case hex digits' });
const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;
const firmwareVersion = z.string().refine(isFirmwareVersion, { message: 'expected a version x.y.z' }).transform((text) => text as FirmwareVersion);

const publicKeyEntry = z.strictObject({
  algorithm: z.enum(KEY_ALGORITHMS),
  public: z.string().regex(/^[0-9a-f]+$/, { message: 'expected lower-case hex' }),
}).refine((key) => (key.algorithm === 'ed25519' ? key.public.length === 64 : key.public.length === 130 && key.public.startsWith('04')), {
  message: 'an Ed25519 key is 32 bytes, an SM2 key the 65-byte uncompressed point 04‖x‖y',
});

const thresholdRole = z.strictObject({
  keyIds: z.array(keyId).min(1).max(64).refine(unique, { message: 'a key is listed twice' }),
  threshold: z.number().int().min(1).max(64),
}).refine((role) => role.threshold <= role.keyIds.length, { message: 'threshold above the number of keys' });

const common = { spec: z.literal(FWREPO_SPEC), version, expires: utcSecond };

const rootSigned = z.strictObject({
  _type: z.literal('root'),
  ...common,
  keys: z.record(keyId, publicKeyEntry),
  roles: z.strictObject({
    root: thresholdRole, targets: thresholdRole, snapshot: thresholdRole, timestamp: thresholdRole,
    /** Keys whose `.fwpkg` signature (protocols/fwpkg) a target's package may carry. */
    packages: z.strictObject({ keyIds: z.array(keyId).min(1).max(64).refine(unique, { message: 'a key is listed twice' }) }),
  }),
}).superRefine((root, context) => {
  for (const [id, key] of Object.entries(root.keys)) {
    if (keyIdOf(key.algorithm, Buffer.from(key.public, 'hex')) !== id) context.addIssue({ code: 'custom', path: ['keys', id], message: 'the key id is not the id of this key' });
  }
  for (const [role, { keyIds }] of Object.entries(root.roles)) {
    for (const id of keyIds) if (!(id in root.keys)) context.addIssue({ code: 'custom', path: ['roles', role], message: `${id} is not in keys` });
  }
});

/** One package the repository offers: where it is, what it must measure, and what its signed manifest must say. */
const target = z.strictObject({
  name: z.string().regex(/^targets\/[0-9a-f]{64}\.fwpkg$/, { message: 'expected targets/<sha256 of the file>.fwpkg' }),
  length: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  sha256: hex256,
  sm3: hex256,
  models: z.array(z.string().min(1).max(20)).min(1).max(64).refine(unique, { message: 'a model is listed twice' }),
  version: firmwareVersion,
  paths: z.array(z.enum(UPGRADE_PATHS)).min(1).refine(unique, { message: 'a path is listed twice' }),
}).refine((t) => t.name === `targets/${t.sha256}.fwpkg`, { message: 'the name must be targets/<sha256>.fwpkg of this target' });

const targetsSigned = z.strictObject({
  _type: z.literal('targets'),
  ...common,
  targets: z.array(target).max(10_000).refine((list) => unique(list.map((t) => t.name)), { message: 'a target is listed twice' }),
});

/** What a document signs of the next one down: its version, and its exact length and SHA-256. */
const fileMeta = z.strictObject({ version, length: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER), sha256: hex256 });

const snapshotSigned = z.strictObject({ _type: z.literal('snapshot'), ...common, meta: z.strictObject({ 'targets.json': fileMeta }) });
const timestampSigned = z.strictObject({ _type: z.literal('timestamp'), ...common, meta: z.strictObject({ 'snapshot.json': fileMeta }) });

export const signedSchemas = { root: rootSigned, targets: targetsSigned, snapshot: snapshotSigned, timestamp: timestampSigned } as const;

export type RootSigned = z.output<typeof rootSigned>;
export type TargetsSigned = z.output<typeof targetsSigned>;
export type SnapshotSigned = z.output<typeof snapshotSigned>;
export type TimestampSigned = z.output<typeof timestampSigned>;
export type Target = z.output<typeof target>;
export type FileMeta = z.output<typeof fileMeta>;
export interface SignedOf { root: RootSigned; targets: TargetsSigned; snapshot: SnapshotSigned; timestamp: TimestampSigned }

const envelope = z.strictObject({
  signed: z.record(z.string(), z.unknown()),
  signatures: z.array(z.strictObject({ keyId, sig: z.string().regex(/^([0-9a-f]{2}){1,512}$/, { message: 'expected lower-case hex' }) })).max(64),
});

export interface MetadataSignature {
  readonly keyId: string;
  readonly sig: Uint8Array;
}

/** One metadata document as read: its signed value, the canonical bytes its signatures cover, and the file's bytes. */
export interface Metadata<R extends Role = Role> {
  readonly role: R;
  readonly signed: SignedOf[R];
  readonly signedBytes: Uint8Array;
  readonly signatures: readonly MetadataSignature[];
  /** The document as published (persisted as is, digested by the role above it). */
  readonly bytes: Uint8Array;
}

function malformed(file: string, detail: string, cause?: unknown): GatewayError {
  return new GatewayError('REPO_METADATA_MALFORMED', { params: { file, detail }, ...(cause === undefined ? {} : { cause }) });
}

function describe(error: z.ZodError): string {
  return error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

/**
 * Reads one metadata document of the given role (SPEC.md §2): at most its byte limit, strict UTF-8 JSON, the
 * envelope, then the role's schema. Nothing here says it is authentic: `verify*` does.
 */
export function decodeMetadata<R extends Role>(bytes: Uint8Array, role: R, file: string = ROLE_FILE[role]): Metadata<R> {
  if (bytes.length > MAX_METADATA_BYTES[role]) throw new GatewayError('REPO_LENGTH_EXCEEDED', { params: { file, length: MAX_METADATA_BYTES[role] } });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes));
  } catch (cause) {
    throw malformed(file, `not UTF-8 JSON: ${(cause as Error).message}`, cause);
  }
  const outer = envelope.safeParse(value);
  if (!outer.success) throw malformed(file, describe(outer.error));
  let signedBytes: Uint8Array;
  try {
    signedBytes = canonicalJsonBytes(outer.data.signed);
  } catch (cause) {
    throw malformed(file, (cause as Error).message, cause);
  }
  if (outer.data.signed._type !== role) throw malformed(file, `expected _type "${role}", found ${JSON.stringify(outer.data.signed._type) ?? 'none'}`);
  const inner = (signedSchemas[role] as unknown as z.ZodType<SignedOf[R]>).safeParse(outer.data.signed);
  if (!inner.success) throw malformed(file, describe(inner.error));
  return {
    role, signed: inner.data, signedBytes, bytes,
    signatures: outer.data.signatures.map((s) => ({ keyId: s.keyId, sig: new Uint8Array(Buffer.from(s.sig, 'hex')) })),
  };
}

/** A root's key as the fwpkg verifier takes it. */
export function rootKey(root: RootSigned, id: string): FwpkgPublicKey | undefined {
  const entry = root.keys[id];
  if (!entry) return undefined;
  return { algorithm: entry.algorithm, raw: new Uint8Array(Buffer.from(entry.public, 'hex')), keyId: id };
}

/** The keys the root lists for signing packages (`roles.packages`). */
export function packageKeys(root: RootSigned): FwpkgPublicKey[] {
  return root.roles.packages.keyIds.map((id) => rootKey(root, id)!);
}
