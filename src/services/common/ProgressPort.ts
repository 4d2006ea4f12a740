/**
 * What a service's run tells its job (src/jobs JobContext has all of it): the stage it is in, how far it is, the
 * service record's facts, whether it was cancelled, and the checkpoint to resume from, persisted before the step
 * it protects (src/jobs/ENGINE.md).
 */
export interface StageReporter {
  stage(id: string): void;
  progress(fraction: number, detail?: string): void;
  record(draft: { action?: string; machineNumber?: string; before?: unknown; after?: unknown }): void;
  throwIfCancelled(): void;
  /** Persists what a resumed run needs (the job's checkpoint) before it returns. */
  checkpoint(data: Record<string, unknown>): void;
}
