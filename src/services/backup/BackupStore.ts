import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { GatewayError } from '../../../contracts/errors/index.js';
import { silentLogger } from '../../log.js';
import { BackupIdSchema, BackupManifestSchema, MANIFEST_FILE, type BackupManifest } from './BackupManifest.js';
import { BACKUP_FOLDER, TEMP_PREFIX } from './backupLayout.js';
import { BackupWriter, type BeginBackupOptions } from './BackupWriter.js';
import type { VerifyReport } from './judgeBackup.js';
import { verifyBackupFolder } from './verifyBackupFolder.js';

/** One complete backup as listed: its manifest's facts, without re-hashing anything. */
export interface BackupSummary {
  readonly id: string;
  readonly dir: string;
  readonly deviceId: string;
  readonly machineNumber: string;
  readonly model?: string;
  readonly firmwareVersion?: string;
  readonly gatewayVersion: string;
  readonly createdAt: string;
  readonly completedAt: string;
  readonly counts: Readonly<Record<string, number>>;
  readonly problems: number;
  readonly bytes: number;
}

export interface BackupVerification extends VerifyReport {
  readonly id: string;
  readonly dir: string;
  readonly verifiedAt: string;
}

function summarize(dir: string, manifest: BackupManifest): BackupSummary {
  return {
    id: manifest.id,
    dir,
    deviceId: manifest.device.id,
    machineNumber: manifest.device.machineNumber,
    model: manifest.device.model,
    firmwareVersion: manifest.device.firmwareVersion,
    gatewayVersion: manifest.gateway.version,
    createdAt: manifest.createdAt,
    completedAt: manifest.completedAt,
    counts: Object.fromEntries(Object.entries(manifest.kinds).map(([kind, s]) => [kind, s.records])),
    problems: manifest.problems.length,
    bytes: manifest.files.reduce((sum, f) => sum + f.bytes, 0),
  };
}

async function entries(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * The backups under `<data-dir>/backups`. Only folders that were renamed into place are ever
 * listed; `.tmp-*` folders are unfinished backups and are removed by `cleanTemporary()` at start-up.
 */
export class BackupStore {
  constructor(readonly root: string, private readonly log: Logger = silentLogger) {}

  static forDataDir(dataDir: string, log?: Logger): BackupStore {
    return new BackupStore(join(dataDir, 'backups'), log);
  }

  begin(options: BeginBackupOptions): Promise<BackupWriter> {
    return BackupWriter.begin(this.root, options);
  }

  /** Removes what crashed or killed backups left behind; resolves with the removed folders. */
  async cleanTemporary(): Promise<string[]> {
    const removed: string[] = [];
    for (const machine of await entries(this.root)) {
      for (const name of await entries(join(this.root, machine))) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const dir = join(this.root, machine, name);
        await rm(dir, { recursive: true, force: true });
        removed.push(dir);
        this.log.warn({ dir }, 'removed an unfinished backup folder');
      }
    }
    return removed;
  }

  /** Complete backups, newest first; `device` matches the device id or the machine number. */
  async list(filter: { device?: string } = {}): Promise<BackupSummary[]> {
    const found: BackupSummary[] = [];
    for (const dir of await this.folders()) {
      const manifest = await this.readManifest(dir);
      if (manifest === undefined) continue;
      if (filter.device !== undefined && manifest.device.id !== filter.device && manifest.device.machineNumber !== filter.device) continue;
      found.push(summarize(dir, manifest));
    }
    return found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1));
  }

  /** The folder of a backup, whether or not its manifest still reads. */
  async locate(id: string): Promise<string> {
    if (BackupIdSchema.safeParse(id).success) {
      for (const dir of await this.folders()) if (dir.endsWith(`-${id}`)) return dir;
    }
    throw new GatewayError('BACKUP_NOT_FOUND', { params: { backupId: id } });
  }

  async get(id: string): Promise<BackupSummary> {
    const dir = await this.locate(id);
    const manifest = await this.readManifest(dir);
    if (manifest === undefined) {
      throw new GatewayError('BACKUP_VERIFY_FAILED', { params: { backupId: id, file: MANIFEST_FILE, reason: 'unreadable' } });
    }
    return summarize(dir, manifest);
  }

  async manifest(id: string): Promise<BackupManifest> {
    const dir = await this.locate(id);
    const manifest = await this.readManifest(dir);
    if (manifest === undefined) {
      throw new GatewayError('BACKUP_VERIFY_FAILED', { params: { backupId: id, file: MANIFEST_FILE, reason: 'unreadable' } });
    }
    return manifest;
  }

  /** Re-hashes every file of the backup. */
  async verify(id: string, now: () => Date = () => new Date()): Promise<BackupVerification> {
    const dir = await this.locate(id);
    const report = await verifyBackupFolder(dir, id);
    return { ...report, id, dir, verifiedAt: now().toISOString() };
  }

  /** Re-hashes, and throws BACKUP_VERIFY_FAILED naming the first bad file. */
  async assertVerified(id: string): Promise<BackupVerification> {
    const verification = await this.verify(id);
    const first = verification.failures[0];
    if (first !== undefined) {
      throw new GatewayError('BACKUP_VERIFY_FAILED', {
        params: { backupId: id, file: first.file, reason: first.reason },
        data: { failures: verification.failures },
      });
    }
    return verification;
  }

  private async folders(): Promise<string[]> {
    const dirs: string[] = [];
    for (const machine of await entries(this.root)) {
      for (const name of await entries(join(this.root, machine))) {
        if (BACKUP_FOLDER.test(name)) dirs.push(join(this.root, machine, name));
      }
    }
    return dirs;
  }

  private async readManifest(dir: string): Promise<BackupManifest | undefined> {
    try {
      const parsed = BackupManifestSchema.safeParse(JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')));
      if (parsed.success) return parsed.data;
    } catch {
      // unreadable or not JSON: reported below like a schema failure
    }
    this.log.warn({ dir }, 'backup folder with an unreadable manifest is not listed');
    return undefined;
  }
}
