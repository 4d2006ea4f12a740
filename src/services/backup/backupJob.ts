import type { BackupProblem } from './BackupManifest.js';
import type { BackupPort } from './BackupPort.js';
import type { BackupStore } from './BackupStore.js';
import { collectBackup } from './collectBackup.js';

export const BACKUP_JOB_KIND = 'backup';

/** Reading dominates; verification re-hashes what was written. */
export const backupStages = [{ id: 'read', weight: 95 }, { id: 'verify', weight: 5 }] as const;

/** The part of a job's context a backup uses (the job runner's JobContext has it all). */
export interface BackupJobContext {
  readonly signal: AbortSignal;
  stage(id: string): void;
  progress(fraction: number, detail?: string): void;
  record(draft: { action?: string; machineNumber?: string; before?: unknown; after?: unknown }): void;
}

export interface BackupJobResult {
  readonly backupId: string;
  readonly machineNumber: string;
  readonly createdAt: string;
  readonly counts: Record<string, number>;
  readonly verified: true;
  readonly problemCount: number;
  /** The problems themselves, the first 200 (the manifest has them all). */
  readonly problems: readonly BackupProblem[];
}

const SHOWN_PROBLEMS = 200;

/** The `backup` job: read everything into a new backup, then re-verify it from disk. */
export async function runBackupJob(ctx: BackupJobContext, port: BackupPort, store: BackupStore): Promise<BackupJobResult> {
  ctx.record({ action: BACKUP_JOB_KIND, machineNumber: port.device.machineNumber });
  ctx.stage('read');
  const { manifest } = await collectBackup(port, store, {
    signal: ctx.signal,
    onProgress: ({ records, expectedTotal }) => {
      if (expectedTotal !== undefined && expectedTotal > 0) ctx.progress(Math.min(1, records / expectedTotal), `${records} / ${expectedTotal}`);
      else ctx.progress(0, `${records}`);
    },
  });
  ctx.stage('verify');
  await store.assertVerified(manifest.id);
  ctx.record({ after: { backupId: manifest.id, problems: manifest.problems.length } });
  return {
    backupId: manifest.id,
    machineNumber: manifest.device.machineNumber,
    createdAt: manifest.createdAt,
    counts: Object.fromEntries(Object.entries(manifest.kinds).map(([kind, s]) => [kind, s.records])),
    verified: true,
    problemCount: manifest.problems.length,
    problems: manifest.problems.slice(0, SHOWN_PROBLEMS),
  };
}
