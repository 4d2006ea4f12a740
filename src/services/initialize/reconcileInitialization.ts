import { GatewayError } from '../../../contracts/errors/index.js';
import type { BorrowedDevice } from '../../devices/DevicePort.js';
import { readFiscalFacts } from './gatherFacts.js';
import {
  resumeInitialization, type InitializationDeps, type InitializationOptions, type StageReporter,
} from './initializeRegister.js';
import { asPendingInitialization } from './PendingInitializations.js';
import type { InitializationTarget } from './RegisterPort.js';
import { stepFailure } from './stepFailure.js';
import { changeStatement } from './changeStatement.js';

export const INITIALIZATION_JOB_KIND = 'initialize';

/** The job row as the reconcile needs it (the job runner's JobRow has it all). */
export interface InterruptedInitialization {
  readonly deviceId: string;
  readonly params: Record<string, unknown>;
  readonly checkpoint: unknown;
}

/** Lends the register (and the readers the job named) to `work` again, as long as `signal` allows. */
export type LendTarget = (signal: AbortSignal, work: (target: InitializationTarget) => Promise<unknown>) => Promise<unknown>;

/** The job runner's ReconcileOutcome, as far as an initialization gives one. */
export type InitializationReconcileOutcome =
  | { readonly state: 'failed'; readonly error: GatewayError }
  | { readonly state: 'resume'; readonly run: (ctx: StageReporter & { readonly signal: AbortSignal }) => Promise<unknown> };

/**
 * An initialization job a restart or a lost device interrupted, once its register is back (src/jobs/ENGINE.md):
 * - no checkpoint: it stopped before the fiscal card was asked to register; nothing changed;
 * - `registering` (TERMINAL_REGISTER sent, its answer lost): the fiscal card, read through the register's slot
 *   (no PIN), says whether it registered; either way the PIN never reached the gateway: failed, saying so;
 * - `registered`, `pin-sent`, `written`: resumed from the checkpoint under the same job. The resumed run reads
 *   the cards and the register again (no PIN try) and the checks decide: a register initialized with this card
 *   goes to the read-back; a PIN that never left the gateway goes to GB link 30; a PIN that left once to a
 *   register still not initialized may be stale and is refused (INIT_PIN_IN_DOUBT) unless the job said resendPin.
 */
export async function reconcileInitialization(
  job: InterruptedInitialization, device: BorrowedDevice, lend: LendTarget, deps: InitializationDeps,
): Promise<InitializationReconcileOutcome> {
  const checkpoint = asPendingInitialization(job.checkpoint);
  if (checkpoint === undefined || checkpoint.stage === 'closed') {
    return { state: 'failed', error: new GatewayError('INTERRUPTED_BY_RESTART', { data: { changed: changeStatement('nothing-changed') } }) };
  }
  if (checkpoint.stage === 'registering') {
    const fiscal = await readFiscalFacts(device.slot('fiscal'), deps.settings.card);
    const state = fiscal.read && fiscal.data !== undefined ? fiscal.data.registration.state : undefined;
    const cause = new GatewayError('INTERRUPTED_BY_RESTART');
    if (state === 'not-registered') return { state: 'failed', error: stepFailure('TERMINAL_REGISTER', cause, 'nothing-changed') };
    return { state: 'failed', error: stepFailure('TERMINAL_REGISTER', cause, state === 'registered' ? 'registered-pin-lost' : 'registration-in-doubt') };
  }
  const options: InitializationOptions = {
    allowLastPinTry: job.params.allowLastPinTry === true,
    resendPin: job.params.resendPin === true,
  };
  return {
    state: 'resume',
    run: (ctx) => lend(ctx.signal, (target) => resumeInitialization(target, deps, options, ctx, checkpoint)),
  };
}

/** The PC/SC readers a job named for its cards (its params), for lending the target again. */
export function readerNamesOf(params: Record<string, unknown>): { fiscalReader?: string; userReader?: string } {
  return {
    ...(typeof params.fiscalReader === 'string' ? { fiscalReader: params.fiscalReader } : {}),
    ...(typeof params.userReader === 'string' ? { userReader: params.userReader } : {}),
  };
}
