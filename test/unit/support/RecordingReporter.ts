import type { StageReporter } from '../../../src/services/initialize/initializeRegister.js';

/** A StageReporter that keeps what a job would record (`after` is replaced, as the job runner merges it). */
export class RecordingReporter implements StageReporter {
  readonly stages: string[] = [];
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
}
