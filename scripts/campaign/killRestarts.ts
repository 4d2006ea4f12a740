// Campaign part (d): SIGKILL restarts of fiscald during device jobs, through issue 9's kill campaign
// (test/helpers/killCampaign: one trial = a fresh data dir and register, the operation started through the API,
// SIGKILL a drawn moment after a stage it announced, a restart, the jobs settled, one operator retry, four counters).
// Trials run in a pool until the budget is spent; the kill moments are drawn inside each operation's stages with
// the windows the fast slice uses (test/e2e/killCampaign.test.ts), so no unkilled measuring run is needed first.
import { Rng } from '../../fixtures/simulator/Rng.js';
import { summarize, type CampaignSummary, type TrialError } from '../../test/helpers/killCampaign/campaignReport.js';
import type { CampaignMode } from '../../test/helpers/killCampaign/campaignDevice.js';
import type { CampaignOperation } from '../../test/helpers/killCampaign/campaignOperations.js';
import { drawWithin } from '../../test/helpers/killCampaign/killPlan.js';
import { runKillTrial, type KillTrial } from '../../test/helpers/killCampaign/runKillTrial.js';
import { socatMissingReason } from '../../test/helpers/socat.js';

const windows: { operation: CampaignOperation; mode: CampaignMode; anchors: readonly string[]; fromMs: number; toMs: number }[] = [
  { operation: 'initialize', mode: 'inproc', anchors: ['authenticate', 'write'], fromMs: 0, toMs: 1100 },
  { operation: 'change', mode: 'inproc', anchors: ['apply'], fromMs: 0, toMs: 40 },
  { operation: 'roll', mode: 'inproc', anchors: ['distribute', 'mount'], fromMs: 0, toMs: 30 },
  { operation: 'deregister', mode: 'inproc', anchors: ['backup', 'final-state'], fromMs: 0, toMs: 1200 },
  { operation: 'backup', mode: 'inproc', anchors: ['read', 'verify'], fromMs: 0, toMs: 600 },
  { operation: 'initialize', mode: 'pty', anchors: ['write'], fromMs: 0, toMs: 1100 },
  { operation: 'backup', mode: 'pty', anchors: ['read'], fromMs: 0, toMs: 600 },
];

export interface KillRestartOptions {
  readonly seed: number;
  readonly budgetMs: number;
  readonly maxKills?: number;
  readonly concurrency?: number;
  readonly say?: (line: string) => void;
}

export async function runKillRestarts(options: KillRestartOptions): Promise<CampaignSummary> {
  const rng = new Rng(options.seed);
  const usable = socatMissingReason() === undefined ? windows : windows.filter((w) => w.mode === 'inproc');
  const deadline = Date.now() + options.budgetMs;
  const trials: KillTrial[] = [];
  const failures: TrialError[] = [];
  let next = 0;
  // A trial starts fiscald twice and lets its jobs settle: one starts only when the shortest seen so far still fits.
  let shortestMs = options.maxKills === undefined ? 20_000 : 0;
  const worker = async () => {
    while (Date.now() + shortestMs < deadline && next < (options.maxKills ?? Infinity)) {
      const window = usable[next % usable.length]!;
      next += 1;
      const plan = drawWithin(rng, window.anchors, window.fromMs, window.toMs);
      const trialStarted = Date.now();
      try {
        const trial = await runKillTrial({ operation: window.operation, mode: window.mode, plan: () => plan, settleMs: 30_000 });
        trials.push(trial);
        shortestMs = trials.length === 1 ? Date.now() - trialStarted : Math.min(shortestMs, Date.now() - trialStarted);
        const counted = Object.entries(trial.counters).filter(([, n]) => n > 0).map(([name, n]) => `${name}=${n}`).join(' ');
        options.say?.(`kill ${trials.length + failures.length}: ${window.operation}/${window.mode} at ${plan.anchor}+${plan.delayMs}ms: job ${trial.killedJob.state}${trial.retry ? `, retry ${trial.retry}` : ''}${counted ? `  ** ${counted}` : ''}`);
      } catch (error) {
        const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300);
        failures.push({ operation: window.operation, mode: window.mode, error: message });
        options.say?.(`kill ${trials.length + failures.length}: ${window.operation}/${window.mode}: error ${message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency ?? 2 }, worker));
  return summarize(options.seed, trials, failures);
}
