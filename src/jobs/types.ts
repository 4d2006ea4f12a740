import type { Logger } from 'pino';
import type { GatewayError } from '../../contracts/errors/index.js';
import type { BorrowedDevice } from '../devices/DevicePort.js';
import type { JobRow, RecordDraft, StageSpec, WaitingReason } from '../store/types.js';

/** What a job says it waits for; the runner stamps `since`. */
export type WaitingFor = Omit<WaitingReason, 'since'>;

/** What a running job's code gets: its stages, progress, cancellation, log and service record. */
export interface JobContext {
  readonly jobId: string;
  readonly deviceId: string;
  readonly operator: string;
  /** Aborted when the job is cancelled (deferred to the end of a critical stage). */
  readonly signal: AbortSignal;
  readonly log: Logger;
  /** Enters a declared stage; throws CANCELLED when a cancel is pending. */
  stage(id: string): void;
  /** Progress within the current stage, 0…1, with an optional plain-words detail. */
  progress(fraction: number, detail?: string): void;
  /** Merges facts for the service record (action, machine number, before/after state); kept across a restart. */
  record(draft: RecordDraft): void;
  /** Throws CANCELLED if the job was cancelled. */
  throwIfCancelled(): void;
  /**
   * Persists `data` as the job's checkpoint (replacing the last one) before it returns: call it before the
   * step it protects (src/jobs/ENGINE.md). Kept whole in the job row, never shown or logged; cleared at the end.
   */
  checkpoint(data: Record<string, unknown>): void;
  /** The checkpoint this run resumes from (set when the job was interrupted and reconciled into a resume). */
  readonly resumedFrom: Record<string, unknown> | undefined;
  /** The job waits (a device away, a card, a technician): state `waiting` with the reason, in the row and the events. */
  waiting(reason: WaitingFor): void;
  /** The wait is over: state `running` again. */
  running(): void;
}

export interface IdempotencyClaim {
  /** Route and device, e.g. `POST /v1/devices/X/diagnostics`. */
  readonly scope: string;
  readonly key: string;
  /** Hash of the request body: the same key with another body is refused. */
  readonly bodyHash: string;
}

export interface JobSpec<R = unknown> {
  readonly kind: string;
  readonly deviceId: string;
  readonly operator: string;
  /** Stored redacted. */
  readonly params?: Record<string, unknown>;
  readonly stages: readonly StageSpec[];
  readonly record?: RecordDraft;
  readonly idempotency?: IdempotencyClaim;
  readonly run: (ctx: JobContext) => Promise<R>;
}

export interface StartedJob {
  readonly job: JobRow;
  /** True when an Idempotency-Key matched and the earlier job is returned. */
  readonly reused: boolean;
}

/**
 * How an interrupted job ends, once its device is back: it was done (succeeded, with its result), it goes on
 * from its checkpoint (`run` runs under the same job id and device ownership, `ctx.resumedFrom` holding the
 * checkpoint), or it failed, the error saying what did and did not change.
 */
export type ReconcileOutcome =
  | { readonly state: 'succeeded'; readonly result?: unknown; readonly after?: unknown }
  | { readonly state: 'failed'; readonly error: GatewayError; readonly after?: unknown }
  | { readonly state: 'resume'; readonly run: (ctx: JobContext) => Promise<unknown> };

/** Per-kind knowledge the runner needs outside a run: how to settle a job a previous process left unfinished. */
export interface JobDefinition {
  readonly kind: string;
  /**
   * Looks at the device, once it is identified online again, to learn how the interrupted job ended (src/jobs/ENGINE.md).
   * `job.checkpoint` is its last checkpoint. Without it, the job fails with INTERRUPTED_BY_RESTART at start-up.
   */
  reconcile?(job: JobRow, device: BorrowedDevice): Promise<ReconcileOutcome>;
}
