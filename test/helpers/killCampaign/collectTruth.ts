import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE } from '../../../src/services/backup/BackupManifest.js';
import { BACKUP_FOLDER } from '../../../src/services/backup/backupLayout.js';
import { verifyBackupFolder } from '../../../src/services/backup/verifyBackupFolder.js';
import type { CampaignDaemon } from './campaignDevice.js';
import type { CampaignJob } from './campaignOperations.js';

const SETTLED = new Set(['succeeded', 'failed', 'cancelled']);

export interface ListedJob extends CampaignJob {
  readonly createdAt: string;
}

export async function listJobs(daemon: CampaignDaemon): Promise<ListedJob[]> {
  const { status, json } = await daemon.get<{ jobs: ListedJob[] }>('/v1/jobs?limit=100');
  if (status !== 200) throw new Error(`GET /v1/jobs: HTTP ${status}`);
  return json.jobs;
}

/**
 * Waits (up to `timeoutMs`) until no job is running or waiting, and returns the ones still unsettled then:
 * a job the restarted daemon did not reconcile although its device is back.
 */
export async function waitForSettledJobs(daemon: CampaignDaemon, timeoutMs: number): Promise<ListedJob[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = (await listJobs(daemon)).filter((job) => !SETTLED.has(job.state));
    if (open.length === 0 || Date.now() > deadline) return open;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export interface CommittedBackup {
  readonly id: string;
  readonly createdAt: string;
  readonly verifies: boolean;
}

/** The complete backup folders of a machine in the data dir (renamed into place), each verified from disk. */
export async function committedBackups(dataDir: string, machineNumber: string): Promise<CommittedBackup[]> {
  const folder = join(dataDir, 'backups', machineNumber);
  const names = await readdir(folder).catch(() => [] as string[]);
  const found: CommittedBackup[] = [];
  for (const name of names) {
    const match = BACKUP_FOLDER.exec(name);
    if (match === null) continue;
    const report = await verifyBackupFolder(join(folder, name));
    const manifest = JSON.parse(await readFile(join(folder, name, MANIFEST_FILE), 'utf8').catch(() => '{}')) as { createdAt?: string };
    found.push({ id: match[2]!, createdAt: manifest.createdAt ?? '', verifies: report.failures.length === 0 });
  }
  return found;
}

/**
 * Committed backups, made before the kill by the killed backup job, that verify but that the job does not
 * report: it ended other than succeeded, or its result does not name the backup.
 */
export function backupsReportedFailed(backups: readonly CommittedBackup[], killedAt: number, job: ListedJob | undefined): CommittedBackup[] {
  if (job === undefined || job.kind !== 'backup') return [];
  return backups.filter((backup) => backup.verifies && Date.parse(backup.createdAt) <= killedAt
    && (job.state !== 'succeeded' || !JSON.stringify(job.result ?? null).includes(backup.id)));
}
