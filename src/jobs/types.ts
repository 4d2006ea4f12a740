import type { Logger } from 'pino';
import type { GatewayError } from '../../contracts/errors/index.js';
import type { JobRow, RecordDraft, StageSpec } from '../store/types.js';

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

export type ReconcileOutcome =
  | { readonly state: 'succeeded'; readonly result?: unknown; readonly after?: unknown }
  | { readonly state: 'failed'; readonly error: GatewayError };

/** Per-kind knowledge the runner needs outside a run: how to settle a job found 'running' at start-up. */
export interface JobDefinition {
  readonly kind: string;
  /** Looks at the device to learn how an interrupted job ended; the default fails it with INTERRUPTED_BY_RESTART. */
  reconcile?(job: JobRow): Promise<ReconcileOutcome>;
}
