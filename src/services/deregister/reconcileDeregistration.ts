import { deregisterRequestSchema, type DeregisterRequest } from './deregisterRequest.js';
import type { runDeregistration } from './runDeregistration.js';

type DeregistrationReporter = Parameters<typeof runDeregistration>[2];

/** The job runner's ReconcileOutcome, as far as a deregistration gives one: always a resume. */
export interface DeregistrationReconcileOutcome {
  readonly state: 'resume';
  readonly run: (ctx: DeregistrationReporter & { readonly signal: AbortSignal }) => Promise<unknown>;
}

/**
 * A deregistration a restart (or a lost register) interrupted, once its register is back: it changes no fiscal
 * data (a backup, reads, the fiscal card powered off, the service record), so it runs again under the same job
 * with the request it was given; its backup gate finds the backup it had made (its checkpoint names it) if that
 * still describes the register, and makes a new one otherwise. `rerun` builds the run as the route did.
 */
export function reconcileDeregistration(
  job: { readonly params: Record<string, unknown> },
  rerun: (request: DeregisterRequest) => (ctx: DeregistrationReporter & { readonly signal: AbortSignal }) => Promise<unknown>,
): DeregistrationReconcileOutcome {
  return { state: 'resume', run: rerun(deregisterRequestSchema.parse(job.params)) };
}
