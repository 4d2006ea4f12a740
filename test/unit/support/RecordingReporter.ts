import type { StageReporter } from '../../../src/services/common/ProgressPort.js';

/** A StageReporter that keeps what a job would record (`after` is replaced, as the job runner merges it). */
export class RecordingReporter implements StageReporter {
  /** Where every reporter's checkpoints also go (the harness sets its CheckpointMemory), as a job runner stores them. */
  static memory: { record(checkpoint: unknown): void } | undefined;
  readonly stages: string[] = [];
  readonly checkpoints: Record<string, unknown>[] = [];
  readonly details: string[] = [];
  before: unknown;
  after: unknown;
  stage(id: string): void { this.stages.push(id); }
  progress(_fraction: number, detail?: string): void { if (detail !== undefined) this.details.push(detail); }
  record(draft: { before?: unknown; after?: unknown }): void {
    if (draft.before !== undefined) this.before = draft.before;
    if (draft.after !== undefined) this.after = draft.after;
  }
  throwIfCancelled(): void {}
  checkpoint(data: Record<string, unknown>): void {
    this.checkpoints.push(data);
    RecordingReporter.memory?.record(data);
  }
}
