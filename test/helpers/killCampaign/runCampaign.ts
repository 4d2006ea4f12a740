import { campaignModes, type CampaignMode } from './campaignDevice.js';
import { campaignOperations, type CampaignOperation } from './campaignOperations.js';
import { summarize, type CampaignSummary, type TrialError } from './campaignReport.js';
import { drawFromMeasuredRun, type KillPlan, type MeasuredRun } from './killPlan.js';
import { measureOperation, runKillTrial, type KillTrial } from './runKillTrial.js';
import { Rng } from '../../../fixtures/simulator/Rng.js';

export interface CampaignOptions {
  /** Kills per mode, spread over the operations in turn. */
  readonly runs: number;
  readonly modes: readonly CampaignMode[];
  readonly operations?: readonly CampaignOperation[];
  readonly seed: number;
  /** Runs at once (each has its own data dir, daemon and register). */
  readonly concurrency?: number;
  readonly settleMs?: number;
  /** Keep the data dir of every run where a counter is not 0 (its path is in the run's entry). */
  readonly keepCounted?: boolean;
  /** Told about each measurement and each finished run. */
  readonly onProgress?: (line: string) => void;
}

interface Task {
  readonly operation: CampaignOperation;
  readonly mode: CampaignMode;
  readonly plan: KillPlan;
}

/** The first line of an error and the first line naming an Error or a code in what follows (a daemon's output is long). */
function shortly(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const cause = lines.slice(1).find((line) => /Error|[A-Z]+_[A-Z_]+/.test(line));
  return [lines[0] ?? '', cause].filter(Boolean).join(' … ').slice(0, 400);
}

async function inPool<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next]!;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(width, items.length)) }, worker));
}

/**
 * The long campaign: each operation is first run once without a kill in each mode to measure it, then
 * `runs` kills per mode, each at a moment drawn with the seed uniformly over the measured duration.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignSummary> {
  const operations = options.operations ?? campaignOperations;
  const say = options.onProgress ?? (() => undefined);
  const failures: TrialError[] = [];
  const measured = new Map<string, MeasuredRun>();
  for (const mode of options.modes) {
    for (const operation of operations) {
      try {
        const run = await measureOperation(operation, mode);
        if (run.state !== 'succeeded') throw new Error(`the unkilled run ended ${run.state}`);
        measured.set(`${operation}/${mode}`, run);
        say(`measured ${operation}/${mode}: ${run.durationMs} ms, stages ${run.signals.map((s) => `${s.anchor}@${s.atMs}`).join(' ')}`);
      } catch (error) {
        failures.push({ operation, mode, error: `measuring: ${shortly(error)}` });
      }
    }
  }
  // Every moment is drawn before any run starts, so the same seed and measurements give the same plans at any concurrency.
  const random = new Rng(options.seed);
  const tasks: Task[] = [];
  for (const mode of options.modes) {
    for (let i = 0; i < options.runs; i += 1) {
      const operation = operations[i % operations.length]!;
      const run = measured.get(`${operation}/${mode}`);
      if (run !== undefined) tasks.push({ operation, mode, plan: drawFromMeasuredRun(random, run) });
    }
  }
  const trials: KillTrial[] = [];
  await inPool(tasks, options.concurrency ?? 1, async (task) => {
    try {
      const trial = await runKillTrial({
        ...task, plan: () => task.plan, keepDataDir: options.keepCounted ? 'when-counted' : false,
        ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
      });
      trials.push(trial);
      const counted = Object.entries(trial.counters).filter(([, n]) => n > 0).map(([name, n]) => `${name}=${n}`).join(' ');
      say(`${trials.length + failures.length}/${tasks.length} ${task.operation}/${task.mode} kill at ${task.plan.anchor}+${task.plan.delayMs}ms (in ${trial.landing.lastStage}${trial.landing.afterEnd ? ', after the end' : ''}): job ${trial.killedJob.state}${trial.retry ? `, retry ${trial.retry}` : ''}${counted ? `  ** ${counted}` : ''}${trial.dataDir ? ` (kept ${trial.dataDir})` : ''}`);
    } catch (error) {
      failures.push({ operation: task.operation, mode: task.mode, error: shortly(error) });
      say(`${task.operation}/${task.mode}: error ${failures.at(-1)!.error}`);
    }
  });
  return summarize(options.seed, trials, failures);
}

export { campaignModes, campaignOperations };
