import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { BackupManifest, BackupProblem, SkippedCheck } from './BackupManifest.js';
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
  /** Persisted before it returns (src/jobs/ENGINE.md): the backup's id, before the commit can rename it into place. */
  checkpoint?(data: Record<string, unknown>): void;
}

/** What a backup job checkpoints: the id its folder will be committed under. */
export interface BackupCheckpoint {
  readonly backupId: string;
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
  /** Checks the register gave no means to make (public firmware: no 72, 73 or 3C), as the manifest names them. */
  readonly skipped?: readonly SkippedCheck[];
}

const SHOWN_PROBLEMS = 200;

/** The `backup` job: read everything into a new backup, then re-verify it from disk. */
export async function runBackupJob(ctx: BackupJobContext, port: BackupPort, store: BackupStore): Promise<BackupJobResult> {
  ctx.record({ action: BACKUP_JOB_KIND, machineNumber: port.device.machineNumber });
  ctx.stage('read');
  const { manifest } = await collectBackup(port, store, {
    signal: ctx.signal,
    onBegin: (backupId) => ctx.checkpoint?.({ backupId } satisfies BackupCheckpoint),
    onProgress: ({ records, expectedTotal }) => {
      if (expectedTotal !== undefined && expectedTotal > 0) ctx.progress(Math.min(1, records / expectedTotal), `${records} / ${expectedTotal}`);
      else ctx.progress(0, `${records}`);
    },
  });
  ctx.stage('verify');
  await store.assertVerified(manifest.id);
  ctx.record({ after: backupRecordAfter(manifest) });
  return backupResult(manifest);
}

function backupRecordAfter(manifest: BackupManifest) {
  return { backupId: manifest.id, problems: manifest.problems.length };
}

function backupResult(manifest: BackupManifest): BackupJobResult {
  return {
    backupId: manifest.id,
    machineNumber: manifest.device.machineNumber,
    createdAt: manifest.createdAt,
    counts: Object.fromEntries(Object.entries(manifest.kinds).map(([kind, s]) => [kind, s.records])),
    verified: true,
    problemCount: manifest.problems.length,
    problems: manifest.problems.slice(0, SHOWN_PROBLEMS),
    ...(manifest.skipped === undefined || manifest.skipped.length === 0 ? {} : { skipped: manifest.skipped }),
  };
}

/** How an interrupted backup ended (the job runner's ReconcileOutcome, without the resume a backup never needs). */
export type BackupReconcileOutcome =
  | { readonly state: 'succeeded'; readonly result: BackupJobResult; readonly after: unknown }
  | { readonly state: 'failed'; readonly error: GatewayError };

/**
 * A backup job a restart interrupted: if its checkpointed backup was committed (renamed into place) and
 * verifies, it succeeded, with its id in the result and the service record; otherwise nothing was kept
 * (the unfinished `.tmp-` folder goes at start-up) and the register was only read: it failed, saying so.
 * Needs nothing of the device (a backup only reads it), so it is the same whenever it runs.
 */
export async function reconcileBackupJob(job: { readonly checkpoint: unknown }, store: BackupStore): Promise<BackupReconcileOutcome> {
  const backupId = (job.checkpoint as Partial<BackupCheckpoint> | null)?.backupId;
  const notKept = (detail: string) => ({
    state: 'failed' as const,
    error: new GatewayError('INTERRUPTED_BY_RESTART', {
      data: { backupId: backupId ?? null, committed: false, detail, changed: { 'zh-CN': '未改动设备；没有保存备份', en: 'nothing on the register changed; no backup was kept' } },
    }),
  });
  if (typeof backupId !== 'string') return notKept('the backup had not begun');
  try {
    await store.assertVerified(backupId);
    const manifest = await store.manifest(backupId);
    return { state: 'succeeded', result: backupResult(manifest), after: backupRecordAfter(manifest) };
  } catch (error) {
    if (isGatewayError(error, 'BACKUP_NOT_FOUND')) return notKept('the backup was not committed');
    if (isGatewayError(error, 'BACKUP_VERIFY_FAILED')) {
      return { state: 'failed', error: new GatewayError('BACKUP_VERIFY_FAILED', { params: error.params, data: { ...error.data, backupId, committed: true }, cause: error }) };
    }
    throw error;
  }
}
