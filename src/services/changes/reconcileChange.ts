import { isDeepStrictEqual } from 'node:util';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import type { ChangeRegister } from './ChangeRegister.js';
import { CHANGE_JOB_KIND, registerView, statements, type ChangeCheckpoint, type ChangeResult } from './runChange.js';
import { controlMismatches, readBackControls } from './updateControls.js';

/** The job runner's ReconcileOutcome, as far as a change gives one. */
export type ChangeReconcileOutcome =
  | { readonly state: 'succeeded'; readonly result: ChangeResult; readonly after: unknown }
  | { readonly state: 'failed'; readonly error: GatewayError };

const notApplied = (detail: string) => ({
  state: 'failed' as const,
  error: new GatewayError('INTERRUPTED_BY_RESTART', { data: { changed: statements.nothing, detail } }),
});

/**
 * A registration change a restart (or a lost register) interrupted, once its register is back: nothing was
 * checkpointed, so nothing was sent; otherwise the register is read back (38/41, and for a control update the
 * fiscal card's EF01 through the slot, no PIN) against what the checkpoint says was about to be written:
 * taken → succeeded with the register's fields as they are now; as before → failed, nothing changed (run it
 * again); anything else → failed, in doubt, with what was found. A change is never sent again from here.
 */
export async function reconcileChange(
  job: { readonly checkpoint: unknown }, register: ChangeRegister, options?: CardSessionOptions,
): Promise<ChangeReconcileOutcome> {
  const checkpoint = job.checkpoint as ChangeCheckpoint | null;
  if (checkpoint?.phase !== 'applying') return notApplied('stopped before anything was sent to the register');
  const succeeded = (written: ChangeResult['register'], after: Record<string, unknown>): ChangeReconcileOutcome => ({
    state: 'succeeded',
    result: {
      kind: checkpoint.kind, machineNumber: checkpoint.machineNumber, register: written, before: { register: checkpoint.before }, after,
      notes: ['reconciled after an interruption: the register was read back'],
    },
    after,
  });
  const inDoubt = (found: unknown) => ({
    state: 'failed' as const,
    error: new GatewayError('CHANGE_STEP_FAILED', {
      params: { step: 'reconcile', cause: 'INTERRUPTED_BY_RESTART' },
      data: { step: 'reconcile', changed: statements.inDoubt, found },
    }),
  });

  if (checkpoint.control !== undefined) {
    const readBack = await readBackControls(register, options);
    if (controlMismatches(checkpoint.control.record, readBack).length === 0) {
      return succeeded('gb-link-40', { register: { issueDeadline: readBack.registerDeadline, awaitingControlUpdate: readBack.awaitingControlUpdate }, fiscalCard: { monitoring: readBack.fiscal } });
    }
    if (readBack.awaitingControlUpdate && isDeepStrictEqual(readBack.fiscal, checkpoint.control.fiscalBefore)) {
      return notApplied('the control update did not reach the register or the fiscal card');
    }
    return inDoubt(readBack);
  }
  const info = await register.userInfo();
  const status = await register.status();
  const now = registerView(info, status);
  const update = checkpoint.update;
  if (update === undefined) return succeeded('record-only', { register: now });
  const fields = ['taxpayerName', 'officeCode', 'declarationMode'] as const;
  if (fields.every((field) => info[field] === update[field])) return succeeded('gb-link-62', { register: now });
  if (fields.every((field) => info[field] === checkpoint.before[field])) return notApplied('GB link 62 did not take effect');
  return inDoubt(now);
}

/** The registration-change job kind for the job runner: reconciled over the register lent back to it. */
export function changeJobDefinition(options?: CardSessionOptions) {
  return {
    kind: CHANGE_JOB_KIND,
    reconcile: (job: { readonly checkpoint: unknown }, device: { readonly session: ChangeRegister }) => reconcileChange(job, device.session, options),
  };
}
