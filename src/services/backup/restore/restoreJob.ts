import { GatewayError } from '../../../../contracts/errors/index.js';
import type { BackupJobContext } from '../backupJob.js';
import type { BackupStore } from '../BackupStore.js';
import { readBackupParameters } from './backupParameters.js';
import { planRestore, type RestorePlan } from './planRestore.js';
import type { RestoreTarget } from './RestoreTarget.js';

export const RESTORE_JOB_KIND = 'restore';

/** The write (62) is critical: a cancel waits for it, so the register is never left with a half-known change. */
export const restoreStages = [{ id: 'plan', weight: 30 }, { id: 'apply', weight: 50, critical: true }, { id: 'verify', weight: 20 }] as const;

export interface RestoreJobResult extends RestorePlan {
  readonly dryRun: boolean;
  /** Steps written (none on a dry run). */
  readonly applied: number;
}

/**
 * The `restore` job: verify the backup (every file re-hashed), read its parameters, plan against the
 * replacement register (refusing what the law or the protocol does not allow), write the steps,
 * read them back. The service record is the replacement's and names the machine the backup came from.
 */
export async function runRestoreJob(
  ctx: BackupJobContext, target: RestoreTarget, store: BackupStore, request: { backupId: string; dryRun?: boolean },
): Promise<RestoreJobResult> {
  ctx.stage('plan');
  const verification = await store.assertVerified(request.backupId);
  const source = await readBackupParameters(verification.dir, verification.manifest!);
  const userInfo = await target.userInfo();
  const taxItems = userInfo === undefined ? [] : await target.taxItems();
  const plan = planRestore(source, { machineNumber: target.machineNumber, ...(userInfo === undefined ? {} : { userInfo }), taxItems });
  ctx.record({
    action: RESTORE_JOB_KIND, machineNumber: plan.toMachine,
    before: { fromMachine: plan.fromMachine, toMachine: plan.toMachine, backupId: plan.backupId, taxpayer: plan.steps[0]?.from ?? null },
  });
  const dryRun = request.dryRun ?? false;
  ctx.stage('apply');
  let applied = 0;
  if (!dryRun) {
    for (const step of plan.steps) {
      await target.updateTaxpayer(step.to);
      applied++;
      ctx.progress(applied / plan.steps.length, `${step.what} (${step.command})`);
    }
  }
  ctx.stage('verify');
  if (applied > 0) {
    const after = await target.userInfo();
    const wanted = plan.steps[0]!.to;
    if (after === undefined || after.taxpayerName !== wanted.taxpayerName || after.officeCode !== wanted.officeCode || after.declarationMode !== wanted.declarationMode) {
      throw new GatewayError('RESTORE_NOT_CONFIRMED', { params: { machine: plan.toMachine }, data: { wanted, found: after ?? null } });
    }
  }
  ctx.record({ after: { fromMachine: plan.fromMachine, toMachine: plan.toMachine, backupId: plan.backupId, applied, dryRun, taxpayer: plan.steps[0]?.to ?? null } });
  return { ...plan, dryRun, applied };
}
