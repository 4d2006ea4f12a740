import { z } from 'zod';
import { BackupKindSchema } from './BackupKind.js';

export const BACKUP_FORMAT = 'fiscal-gateway/backup';
export const BACKUP_FORMAT_VERSION = 1;

/** The file that holds the SHA-256 of `manifest.json`, in `sha256sum` format so `sha256sum -c manifest.sha256` checks it. */
export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_HASH_FILE = 'manifest.sha256';
/** Every file of the backup (manifest.json included, the two checksum files not), in `sha256sum` format. */
export const CHECKSUMS_FILE = 'SHA256SUMS';

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);
const IsoTime = z.iso.datetime({ offset: true });

/**
 * One thing a completeness or integrity check found. Never dropped: it goes into the manifest
 * and the job result. `kind` and `seq` name the record when there is one.
 */
export const BackupProblemSchema = z.object({
  check: z.enum([
    'count', 'invoice-gap', 'invoice-duplicate', 'invoice-outside-roll', 'daily-coverage', 'daily-duplicate', 'order', 'sequence', 'record-check',
    'cross-check', 'self-check', 'decode', 'read',
  ]),
  kind: BackupKindSchema,
  seq: z.number().int().nonnegative().optional(),
  message: z.string(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type BackupProblem = z.infer<typeof BackupProblemSchema>;

/**
 * A check the backup could not make, and why: a register on public firmware has no record counts (72),
 * no initialization history (73), no roll usage summaries (3C). Not a problem with the data, but what
 * the backup cannot vouch for; `command` names the GB-link command the register does not offer.
 */
export const SkippedCheckSchema = z.object({
  check: z.enum(['count', 'read', 'cross-check']),
  kind: BackupKindSchema,
  reason: z.string(),
  command: z.string().regex(/^[0-9A-F]{2}$/).optional(),
});
export type SkippedCheck = z.infer<typeof SkippedCheckSchema>;

const Bound = z.union([z.string(), z.number()]);

export const KindSummarySchema = z.object({
  records: z.number().int().nonnegative(),
  rawChunks: z.number().int().nonnegative(),
  rawBytes: z.number().int().nonnegative(),
  /** What the register (status 41 / count extension) or the card says there are, when it says. */
  expected: z.number().int().nonnegative().optional(),
  firstDate: z.string().optional(),
  lastDate: z.string().optional(),
  firstNumber: Bound.optional(),
  lastNumber: Bound.optional(),
});
export type KindSummary = z.infer<typeof KindSummarySchema>;

export const BackupFileEntrySchema = z.object({
  path: z.string().regex(/^(cards\/)?[A-Za-z0-9][A-Za-z0-9.-]*$/),
  bytes: z.number().int().nonnegative(),
  sha256: Sha256Hex,
});
export type BackupFileEntry = z.infer<typeof BackupFileEntrySchema>;

export const BackupDeviceSchema = z.object({
  /** The gateway's device id (the machine number once identified). */
  id: z.string().min(1),
  machineNumber: z.string().regex(/^[0-9A-Za-z]{1,32}$/),
  model: z.string().optional(),
  hardwareRevision: z.string().optional(),
  firmwareVersion: z.string().optional(),
  bootloaderVersion: z.string().optional(),
  taxpayerNumber: z.string().optional(),
  fiscalCardNumber: z.string().optional(),
  /**
   * The register time zone the backup was read under (SPEC.md §4.1, `+08:00` by default): every date-time in
   * the records is register-local, this says which instant it stands for. Absent in older backups (then +08:00).
   */
  utcOffset: z.string().regex(/^[+-]\d{2}:\d{2}$/).optional(),
});
export type BackupDevice = z.infer<typeof BackupDeviceSchema>;

export const BackupIdSchema = z.string().regex(/^[0-9a-z]{12}$/, 'not a backup id');

export const BackupManifestSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  id: BackupIdSchema,
  device: BackupDeviceSchema,
  gateway: z.object({ name: z.string(), version: z.string() }),
  createdAt: IsoTime,
  completedAt: IsoTime,
  kinds: z.record(BackupKindSchema, KindSummarySchema),
  files: z.array(BackupFileEntrySchema),
  problems: z.array(BackupProblemSchema),
  /** Checks this backup could not make (absent in backups that made them all, and in older backups). */
  skipped: z.array(SkippedCheckSchema).optional(),
});
export type BackupManifest = z.infer<typeof BackupManifestSchema>;
