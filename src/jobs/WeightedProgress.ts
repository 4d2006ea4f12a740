import type { StageSpec } from '../store/types.js';

export interface ProgressSnapshot {
  readonly stage: string | null;
  readonly stageIndex: number;
  /** Overall fraction 0…1, weighted by the stages' weights. */
  readonly fraction: number;
  /** Seconds left, estimated from the pace so far; null until there is enough to go on. */
  readonly etaSeconds: number | null;
}

/** Turns "stage k, x % through it" into one overall fraction and an ETA. */
export class WeightedProgress {
  private readonly offsets: number[] = [];
  private readonly total: number;
  private index = -1;
  private within = 0;

  constructor(private readonly stages: readonly StageSpec[], private readonly startedAt: number) {
    let sum = 0;
    for (const stage of stages) {
      this.offsets.push(sum);
      sum += Math.max(stage.weight, 0);
    }
    this.total = sum > 0 ? sum : 1;
  }

  indexOf(stageId: string): number {
    return this.stages.findIndex((stage) => stage.id === stageId);
  }

  enter(index: number): void {
    this.index = index;
    this.within = 0;
  }

  advance(fraction: number): void {
    const clamped = Math.min(Math.max(Number.isFinite(fraction) ? fraction : 0, 0), 1);
    this.within = Math.max(this.within, clamped);
  }

  get current(): StageSpec | undefined {
    return this.stages[this.index];
  }

  /**
   * Where the job stands at `now` (monotonic ms). The ETA is the time so far scaled by what is left; when the
   * work goes back (a stage entered again), the same pace gives a longer ETA, never a negative one. It is 0
   * only at the end, and null until 2 % is done (too little to judge a pace from).
   */
  snapshot(now: number): ProgressSnapshot {
    const stage = this.stages[this.index];
    const fraction = Math.min(stage === undefined ? 0 : (this.offsets[this.index]! + Math.max(stage.weight, 0) * this.within) / this.total, 1);
    const elapsed = Math.max(now - this.startedAt, 0) / 1000;
    const etaSeconds = fraction >= 1 ? 0 : fraction >= 0.02 ? Math.max(1, Math.round((elapsed / fraction) * (1 - fraction))) : null;
    return { stage: stage?.id ?? null, stageIndex: this.index, fraction, etaSeconds };
  }
}
