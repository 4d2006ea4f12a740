import { createHash } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GatewayError } from '../../../contracts/errors/index.js';
import { BackupKindSchema, type BackupKind } from './BackupKind.js';
import {
  BACKUP_FORMAT, BACKUP_FORMAT_VERSION, BackupDeviceSchema, BackupManifestSchema, CHECKSUMS_FILE, MANIFEST_FILE, MANIFEST_HASH_FILE,
  type BackupDevice, type BackupFileEntry, type BackupManifest, type BackupProblem, type KindSummary, type SkippedCheck,
} from './BackupManifest.js';
import { backupFolderName, machineFolder, newBackupId, TEMP_PREFIX } from './backupLayout.js';
import { FileSink } from './FileSink.js';
import { fsyncPath } from '../../../platform/fsyncPath.js';
import { gatewayVersion } from './gatewayVersion.js';
import { toJsonLine } from './jsonValue.js';
import { encodeRawChunk, RAW_MAGIC } from '../../../protocols/codec/rawFraming.js';
import { renderSha256Sums } from './sha256sums.js';

/** What a record contributes to the manifest's first/last bounds of its kind. */
export interface RecordMeta {
  /** Index of the raw chunk (see protocols/codec/rawFraming) this record was decoded from. */
  readonly raw?: number;
  /** `YYYY-MM-DD` or an ISO time: compared as strings. */
  readonly date?: string;
  readonly number?: number | string;
}

export interface BeginBackupOptions {
  readonly device: BackupDevice;
  readonly now?: () => Date;
  readonly id?: string;
}

export interface CommittedBackup {
  readonly dir: string;
  readonly manifest: BackupManifest;
}

interface FileEntries {
  readonly lines: { bytes: number; sha256: string };
  readonly raw?: { bytes: number; sha256: string };
}

interface KindFiles {
  readonly lines: FileSink;
  raw?: FileSink;
  /** Set by finishKind: the files flushing, fsyncing and closing while the backup reads on. */
  closing?: Promise<FileEntries>;
  readonly summary: { -readonly [K in keyof KindSummary]: KindSummary[K] };
}

const encoder = new TextEncoder();

async function closeFiles(entry: KindFiles): Promise<FileEntries> {
  const [lines, raw] = await Promise.all([entry.lines.close(), entry.raw?.close()]);
  return raw === undefined ? { lines } : { lines, raw };
}

function lessThan(a: string | number, b: string | number): boolean {
  return typeof a === 'number' && typeof b === 'number' ? a < b : String(a) < String(b);
}

/**
 * Writes one backup: records go into `.tmp-<id>/` as they are read; `commit()` fsyncs every file,
 * writes the manifest and its checksums, fsyncs the folder and renames it into place. Until then
 * nothing lists it; `abort()` (or a crash, cleaned at start-up) leaves no backup behind.
 * Calls are sequential: await each append before the next.
 *
 * Nothing is fsynced while records come in: each file once, when its kind is finished (`finishKind`,
 * in the background while the next kind is read) or at the latest in `commit()`, which waits for all
 * of them before the manifest is written and the folder renamed into place.
 */
export class BackupWriter {
  private readonly kinds = new Map<BackupKind, KindFiles>();
  private readonly problems: BackupProblem[] = [];
  private readonly skipped: SkippedCheck[] = [];
  private finished = false;

  private constructor(
    readonly id: string,
    readonly device: BackupDevice,
    readonly createdAt: Date,
    private readonly machineDir: string,
    readonly tempDir: string,
    private readonly now: () => Date,
    /** The machine folder made durable (fsync of it and its parent); commit waits for it before the rename. */
    private readonly folderDurable: Promise<void>,
  ) {
    folderDurable.catch(() => undefined);
  }

  static async begin(backupsRoot: string, options: BeginBackupOptions): Promise<BackupWriter> {
    const device = BackupDeviceSchema.parse(options.device);
    const now = options.now ?? (() => new Date());
    const id = options.id ?? newBackupId();
    const machineDir = machineFolder(backupsRoot, device.machineNumber);
    const tempDir = join(machineDir, `${TEMP_PREFIX}${id}`);
    try {
      // The owner's alone (fiscal data), whatever the umask: the data dir's group may read the token, not the backups.
      await mkdir(machineDir, { recursive: true, mode: 0o700 });
      await mkdir(tempDir, { mode: 0o700 });
      await mkdir(join(tempDir, 'cards'), { mode: 0o700 });
    } catch (cause) {
      throw new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: (cause as Error).message }, cause });
    }
    // Needed only by the rename at commit: made durable while the records are read.
    const folderDurable = Promise.all([fsyncPath(machineDir), fsyncPath(dirname(machineDir))]).then(() => undefined);
    return new BackupWriter(id, device, now(), machineDir, tempDir, now, folderDurable);
  }

  /** Stores the bytes of one reply as read; resolves with its chunk index for the records decoded from it. */
  async appendRaw(kind: BackupKind, bytes: Uint8Array): Promise<number> {
    const files = await this.files(kind);
    if (files.raw === undefined) {
      files.raw = await this.sink(`${kind}.raw`);
      await files.raw.write(RAW_MAGIC);
    }
    await files.raw.write(encodeRawChunk(bytes));
    files.summary.rawBytes += bytes.length;
    return files.summary.rawChunks++;
  }

  /** Stores one decoded record as a JSON line `{"seq":n,"raw":chunk,"record":{…}}`; resolves with its seq. */
  async appendRecord(kind: BackupKind, record: unknown, meta: RecordMeta = {}): Promise<number> {
    const files = await this.files(kind);
    const seq = files.summary.records;
    const line = toJsonLine(meta.raw === undefined ? { seq, record } : { seq, raw: meta.raw, record });
    await files.lines.write(encoder.encode(`${line}\n`));
    files.summary.records++;
    const s = files.summary;
    if (meta.date !== undefined) {
      if (s.firstDate === undefined || meta.date < s.firstDate) s.firstDate = meta.date;
      if (s.lastDate === undefined || meta.date > s.lastDate) s.lastDate = meta.date;
    }
    if (meta.number !== undefined) {
      if (s.firstNumber === undefined || lessThan(meta.number, s.firstNumber)) s.firstNumber = meta.number;
      if (s.lastNumber === undefined || lessThan(s.lastNumber, meta.number)) s.lastNumber = meta.number;
    }
    return seq;
  }

  /**
   * No more records of `kind` will come: its files are flushed, fsynced and closed in the background
   * (commit waits for them). Appending to it afterwards is an internal error.
   */
  finishKind(kind: BackupKind): void {
    const entry = this.kinds.get(kind);
    if (entry === undefined || entry.closing !== undefined) return;
    entry.closing = closeFiles(entry);
    entry.closing.catch(() => undefined);
  }

  /** What the device says the count of a kind is; a kind with an expectation but no records still gets its (empty) files. */
  async setExpected(kind: BackupKind, count: number): Promise<void> {
    (await this.files(kind)).summary.expected = count;
  }

  recordsOf(kind: BackupKind): number {
    return this.kinds.get(kind)?.summary.records ?? 0;
  }

  expectedOf(kind: BackupKind): number | undefined {
    return this.kinds.get(kind)?.summary.expected;
  }

  addProblems(problems: readonly BackupProblem[]): void {
    this.problems.push(...problems);
  }

  /** Checks that could not be made, named in the manifest's `skipped`. */
  addSkipped(skipped: readonly SkippedCheck[]): void {
    this.skipped.push(...skipped);
  }

  get problemsSoFar(): readonly BackupProblem[] {
    return this.problems;
  }

  async commit(): Promise<CommittedBackup> {
    this.assertOpen();
    this.finished = true;
    try {
      const files: BackupFileEntry[] = [];
      const kinds: Record<string, KindSummary> = {};
      const sorted = [...this.kinds].sort(([a], [b]) => (a < b ? -1 : 1));
      // Each file fsynced once: those of finished kinds already on their way, the rest all at the same time.
      const closed = await Promise.all(sorted.map(([, entry]) => entry.closing ?? closeFiles(entry)));
      sorted.forEach(([kind, entry], i) => {
        const { lines, raw } = closed[i]!;
        files.push({ path: `${kind}.jsonl`, ...lines });
        if (raw !== undefined) files.push({ path: `${kind}.raw`, ...raw });
        kinds[kind] = { ...entry.summary };
      });
      const manifest = BackupManifestSchema.parse({
        format: BACKUP_FORMAT,
        formatVersion: BACKUP_FORMAT_VERSION,
        id: this.id,
        device: this.device,
        gateway: gatewayVersion,
        createdAt: this.createdAt.toISOString(),
        completedAt: this.now().toISOString(),
        kinds,
        files,
        problems: this.problems,
        ...(this.skipped.length === 0 ? {} : { skipped: this.skipped }),
      });
      const manifestBytes = encoder.encode(`${JSON.stringify(manifest, null, 2)}\n`);
      const manifestSha = createHash('sha256').update(manifestBytes).digest('hex');
      // The three are independent (the manifest's hash is known in memory): written and fsynced together.
      await Promise.all([
        this.writeDurably(MANIFEST_FILE, manifestBytes),
        this.writeDurably(MANIFEST_HASH_FILE, encoder.encode(renderSha256Sums([{ path: MANIFEST_FILE, sha256: manifestSha }]))),
        this.writeDurably(CHECKSUMS_FILE, encoder.encode(renderSha256Sums([...files, { path: MANIFEST_FILE, sha256: manifestSha }]))),
      ]);
      await Promise.all([fsyncPath(join(this.tempDir, 'cards')), fsyncPath(this.tempDir), this.folderDurable]);
      const dir = join(this.machineDir, backupFolderName(this.createdAt, this.id));
      await rename(this.tempDir, dir);
      await fsyncPath(this.machineDir);
      return { dir, manifest };
    } catch (cause) {
      await this.removeTemp();
      if (cause instanceof GatewayError) throw cause;
      throw new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: (cause as Error).message }, cause });
    }
  }

  /** Abandons the backup: closes every file and removes the temporary folder. */
  async abort(): Promise<void> {
    if (this.finished) return;
    this.finished = true;
    for (const entry of this.kinds.values()) {
      if (entry.closing !== undefined) {
        await entry.closing.catch(() => undefined);
        continue;
      }
      await entry.lines.discard();
      await entry.raw?.discard();
    }
    await this.folderDurable.catch(() => undefined);
    await this.removeTemp();
  }

  private async removeTemp(): Promise<void> {
    await rm(this.tempDir, { recursive: true, force: true });
  }

  private assertOpen(): void {
    if (this.finished) throw new GatewayError('INTERNAL', { params: { detail: `backup ${this.id} is already committed or aborted` } });
  }

  private async files(kind: BackupKind): Promise<KindFiles> {
    this.assertOpen();
    let entry = this.kinds.get(kind);
    if (entry?.closing !== undefined) throw new GatewayError('INTERNAL', { params: { detail: `backup kind ${kind} is already finished` } });
    if (entry === undefined) {
      if (!BackupKindSchema.safeParse(kind).success) throw new GatewayError('INTERNAL', { params: { detail: `not a backup kind: ${kind}` } });
      entry = { lines: await this.sink(`${kind}.jsonl`), summary: { records: 0, rawChunks: 0, rawBytes: 0 } };
      this.kinds.set(kind, entry);
    }
    return entry;
  }

  private async sink(relative: string): Promise<FileSink> {
    try {
      return await FileSink.create(join(this.tempDir, relative));
    } catch (cause) {
      throw new GatewayError('BACKUP_WRITE_FAILED', { params: { detail: (cause as Error).message }, cause });
    }
  }

  private async writeDurably(relative: string, bytes: Uint8Array): Promise<void> {
    const handle = await open(join(this.tempDir, relative), 'wx', 0o600);
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}
