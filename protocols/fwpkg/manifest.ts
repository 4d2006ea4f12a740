import { z } from 'zod';
import { GatewayError } from '../../contracts/errors/index.js';
import { compareVersions, isFirmwareVersion, type FirmwareVersion } from './FirmwareVersion.js';

/** The `format` of every manifest this code writes and reads (SPEC.md). */
export const FWPKG_FORMAT = 'fiscal-fwpkg/1';

/** The three ways an image reaches a register (DESIGN.md, upgrade stages). */
export const UPGRADE_PATHS = ['serial', 'usb-stick', 'ic-card'] as const;
export type UpgradePath = (typeof UPGRADE_PATHS)[number];

/** GB-link carries sizes as u32. */
export const MAX_IMAGE_BYTES = 0xffff_ffff;

const version = z.string().refine(isFirmwareVersion, { message: 'expected a version x.y.z, each 0…255 without leading zeros' })
  .transform((text) => text as FirmwareVersion);
const hex256 = z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected 64 lower-case hex digits' });
/** A register reports its model in 20 GBK bytes (GB-link 37); 20 characters is the longest that can ever fit. */
const model = z.string().min(1).max(20).refine((text) => text.trim() === text && !/[\u0000-\u001f]/.test(text), { message: 'no leading/trailing spaces or control characters' });
const createdAt = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { message: 'expected UTC time to the second, e.g. 2026-12-05T12:00:00Z' })
  .refine((text) => !Number.isNaN(Date.parse(text)) && new Date(text).toISOString().replace('.000Z', 'Z') === text, { message: 'not a real time' });
const unique = <T>(items: readonly T[]) => new Set(items).size === items.length;

/**
 * `manifest.json`. The keys are listed in canonical order: `canonicalManifestBytes` writes them in this order,
 * and a manifest whose bytes differ from its canonical form is refused (SPEC.md, "Canonical form").
 */
const manifestObject = z.strictObject({
  format: z.literal(FWPKG_FORMAT),
  vendor: z.string().min(1).max(64),
  models: z.array(model).min(1).max(64).refine(unique, { message: 'a model is listed twice' }),
  version,
  versionLowest: version,
  bootloaderLowest: version,
  size: z.number().int().min(1).max(MAX_IMAGE_BYTES),
  sha256: hex256,
  sm3: hex256,
  paths: z.array(z.enum(UPGRADE_PATHS)).min(1).refine(unique, { message: 'a path is listed twice' }),
  releaseNotes: z.string().max(4000),
  keyId: z.string().regex(/^(ed25519|sm2):[0-9a-f]{32}$/, { message: 'expected ed25519:<32 hex> or sm2:<32 hex>' }),
  createdAt,
});

/** The oldest running version a package may be installed over cannot be newer than the package itself. */
export const fwpkgManifestSchema = manifestObject.refine((m) => compareVersions(m.versionLowest, m.version) <= 0, {
  message: 'versionLowest is newer than version', path: ['versionLowest'],
});

export type FwpkgManifest = z.output<typeof fwpkgManifestSchema>;

const MANIFEST_KEYS = Object.keys(manifestObject.shape) as (keyof FwpkgManifest)[];

/** Limit on `manifest.json` when reading: far above any real manifest, far below harm. */
export const MAX_MANIFEST_BYTES = 64 * 1024;

/**
 * The exact bytes that are signed: UTF-8 of `JSON.stringify` with the keys in schema order, two-space indent,
 * one final LF. `JSON.stringify`'s escaping is fixed by ECMAScript, so every conforming writer agrees.
 */
export function canonicalManifestBytes(manifest: FwpkgManifest): Uint8Array {
  const ordered: Record<string, unknown> = {};
  for (const key of MANIFEST_KEYS) ordered[key] = manifest[key];
  return new TextEncoder().encode(`${JSON.stringify(ordered, null, 2)}\n`);
}

/** Validates a manifest built in memory (the builder's input) and returns it typed. */
export function checkManifest(value: unknown): FwpkgManifest {
  const parsed = fwpkgManifestSchema.safeParse(value);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `manifest.${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    const fields = parsed.error.issues.map((i) => `manifest.${i.path.join('.') || '(root)'}`).join('、');
    throw new GatewayError('FWPKG_MALFORMED', { params: { detail, detailZh: `清单字段无效：${fields}` } });
  }
  return parsed.data;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/**
 * Reads `manifest.json` bytes: strict UTF-8, JSON, the schema, and the canonical form (so no two readers can
 * see different values in the signed bytes, e.g. through a duplicated key).
 */
export function parseManifestBytes(bytes: Uint8Array): FwpkgManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new GatewayError('FWPKG_MALFORMED', { params: { detail: `manifest.json is over ${MAX_MANIFEST_BYTES} bytes`, detailZh: `manifest.json 超过 ${MAX_MANIFEST_BYTES} 字节` } });
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (cause) {
    throw new GatewayError('FWPKG_MALFORMED', { params: { detail: `manifest.json is not UTF-8 JSON: ${(cause as Error).message}`, detailZh: 'manifest.json 不是 UTF-8 编码的 JSON' }, cause });
  }
  const manifest = checkManifest(value);
  if (!sameBytes(canonicalManifestBytes(manifest), bytes)) {
    throw new GatewayError('FWPKG_MALFORMED', { params: { detail: 'manifest.json is not in canonical form (key order, 2-space indent, final LF)', detailZh: 'manifest.json 不是规范格式（键的顺序、两格缩进、末尾换行）' } });
  }
  return manifest;
}

/**
 * The `keyId` of a manifest not yet trusted, to pick the key that must have signed it; undefined when the bytes
 * are not JSON or name no key id. Nothing else of an unverified manifest is read.
 */
export function claimedKeyId(bytes: Uint8Array): string | undefined {
  try {
    const value: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    const keyId = (value as { keyId?: unknown } | null)?.keyId;
    return typeof keyId === 'string' ? keyId : undefined;
  } catch {
    return undefined;
  }
}
