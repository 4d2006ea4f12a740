import type { Rng } from '../../../fixtures/simulator/Rng.js';

/**
 * When to kill: `delayMs` after the job itself signals `anchor` on its event stream (`started`, or the
 * start of one of its stages). Anchoring on the operation's own signals keeps a kill inside the part of
 * the job it was drawn for, however fast or slow the machine is today.
 */
export interface KillPlan {
  /** `started` or a stage id. */
  readonly anchor: string;
  readonly delayMs: number;
}

/** One run of an operation without a kill: when each of its signals came, from the job's start. */
export interface MeasuredRun {
  readonly durationMs: number;
  readonly signals: readonly { readonly anchor: string; readonly atMs: number }[];
}

/**
 * A moment drawn uniformly over the measured duration of the operation, expressed as the last signal
 * before it plus the time since.
 */
export function drawFromMeasuredRun(random: Rng, measured: MeasuredRun): KillPlan {
  const at = random.next() * measured.durationMs;
  const before = measured.signals.filter((signal) => signal.atMs <= at);
  const anchor = before.at(-1) ?? { anchor: 'started', atMs: 0 };
  return { anchor: anchor.anchor, delayMs: Math.round(at - anchor.atMs) };
}

/** One of `anchors`, uniformly, and a delay uniformly within [fromMs, toMs] after it. */
export function drawWithin(random: Rng, anchors: readonly string[], fromMs: number, toMs: number): KillPlan {
  return { anchor: anchors[random.int(0, anchors.length - 1)] ?? 'started', delayMs: Math.round(fromMs + random.next() * (toMs - fromMs)) };
}
