import type { CardSessionOptions } from '../../devices/CardSession.js';
import { ROLL_JOB_KIND, runRollDistribution, type RollRunOptions } from './distributeRoll.js';
import { distributionMarkSchema } from './lastDistribution.js';
import type { RollRegister } from './RollRegister.js';
import { rollRequestSchema } from './rollRequest.js';

type RollReporter = Parameters<typeof runRollDistribution>[2];
type PastRecord = NonNullable<RollRunOptions['history']>[number];

/** The job runner's ReconcileOutcome, as far as a roll gives one: always a resume. */
export interface RollReconcileOutcome {
  readonly state: 'resume';
  readonly run: (ctx: RollReporter & { readonly signal: AbortSignal }) => Promise<unknown>;
}

/** Lends the register to `work` again, as long as `signal` allows (the DevicePort). */
export type LendRollRegister = (signal: AbortSignal, work: (register: RollRegister) => Promise<unknown>) => Promise<unknown>;

/**
 * A roll job a restart (or a lost register) interrupted, once its register is back: it runs again under the same
 * job, its checkpoint counted as its own latest mark. The plan then decides from the register and the cards:
 * a roll the register took (31) but never mounted is mounted; a 31 whose answer the kill lost while the user card
 * moved on is refused ROLL_ORPHANED; a 31 that never left is sent once. Never a second roll.
 */
export function reconcileRoll(
  job: { readonly checkpoint: unknown; readonly params: Record<string, unknown> },
  lend: LendRollRegister, history: () => readonly PastRecord[], card?: CardSessionOptions,
): RollReconcileOutcome {
  const mark = distributionMarkSchema.safeParse(job.checkpoint);
  const request = rollRequestSchema.parse({ allowLastPinTry: job.params.allowLastPinTry === true });
  const own: PastRecord[] = mark.success
    ? [{ id: Number.MAX_SAFE_INTEGER, at: new Date(8.64e15).toISOString(), action: ROLL_JOB_KIND, result: 'interrupted', after: mark.data }]
    : [];
  return {
    state: 'resume',
    run: (ctx) => lend(ctx.signal, (register) => runRollDistribution(register, request, ctx, {
      history: [...history(), ...own], ...(card === undefined ? {} : { card }),
    })),
  };
}
