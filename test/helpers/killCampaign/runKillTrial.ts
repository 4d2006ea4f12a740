import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inprocRegisterStatePath, startCampaignDaemon, startRegisterSide, type CampaignDaemon, type CampaignMode, type RegisterSide } from './campaignDevice.js';
import { historyDaysFor, startOperation, type CampaignOperation } from './campaignOperations.js';
import { backupsReportedFailed, committedBackups, listJobs, waitForSettledJobs } from './collectTruth.js';
import { killDuringJob, measureJob, type KillLanding } from './killDuringJob.js';
import type { KillPlan, MeasuredRun } from './killPlan.js';
import { readRegisterTruth, type RegisterTruth } from './readRegisterTruth.js';
import { countKillOutcome, type KillCounters } from './killCounters.js';
import { seedRegisterState } from './seedRegisterState.js';

export type { KillCounters };

export interface KillTrial {
  readonly operation: CampaignOperation;
  readonly mode: CampaignMode;
  /** Where the run's data dir was kept, when it was. */
  readonly dataDir?: string;
  readonly plan: KillPlan;
  readonly landing: KillLanding;
  /** The killed job as the restarted daemon settled it. */
  readonly killedJob: { readonly state: string; readonly errorCode: string | null };
  /** What the operator's one retry did when the killed job did not succeed: a job's end state or why no job started. */
  readonly retry: string | null;
  readonly before: RegisterTruth;
  /** After the restart, once the jobs settled, before any retry. */
  readonly settled: RegisterTruth;
  /** At the end of the run, after the retry. */
  readonly after: RegisterTruth;
  readonly counters: KillCounters;
}

export interface TrialOptions {
  readonly operation: CampaignOperation;
  readonly mode: CampaignMode;
  /** Chooses the kill moment once the job has started (its stages known). */
  readonly plan: (stages: readonly string[]) => KillPlan;
  /** How long the restarted daemon has to settle its jobs once the device is back. */
  readonly settleMs?: number;
  /** Keep the run's data dir (the daemon's database, its backups, the register's saved state): always, or only when a counter is not 0. */
  readonly keepDataDir?: boolean | 'when-counted';
}

const SIMULATOR_SEED = 1;

interface Prepared {
  readonly dataDir: string;
  readonly side: RegisterSide;
  readonly machineNumber: string;
  readonly before: RegisterTruth;
}

async function prepare(operation: CampaignOperation, mode: CampaignMode): Promise<Prepared> {
  const dataDir = mkdtempSync(join(tmpdir(), `kill-campaign-${operation}-${mode}-`));
  const statePath = mode === 'inproc' ? inprocRegisterStatePath(dataDir) : join(dataDir, 'pty-register.json');
  const seeded = await seedRegisterState(statePath, { seed: SIMULATOR_SEED, historyDays: historyDaysFor(operation) });
  const before = readRegisterTruth(statePath);
  const side = await startRegisterSide(mode, dataDir, statePath);
  return { dataDir, side, machineNumber: seeded.machineNumber, before };
}

/** Stops the daemon (SIGTERM: an in-process register saves itself), lets the register side go, and reads what the register holds. */
async function finish(prepared: Prepared, daemon: CampaignDaemon | undefined): Promise<RegisterTruth> {
  await daemon?.stop();
  await prepared.side.release();
  return readRegisterTruth(prepared.side.statePath);
}

/** Runs the operation once without a kill, measuring when its signals came (the script draws kill moments from it). */
export async function measureOperation(operation: CampaignOperation, mode: CampaignMode): Promise<MeasuredRun & { readonly state: string }> {
  const prepared = await prepare(operation, mode);
  let daemon: CampaignDaemon | undefined;
  try {
    daemon = await startCampaignDaemon(prepared.side, prepared.dataDir, prepared.machineNumber);
    const started = await startOperation(daemon, operation, prepared.machineNumber);
    if (!('job' in started)) throw new Error(`${operation} (${mode}) did not start: ${started.refused}`);
    return await measureJob(daemon, started.job.id);
  } finally {
    await finish(prepared, daemon).catch(() => undefined);
    rmSync(prepared.dataDir, { recursive: true, force: true });
  }
}

/**
 * One kill: a fresh data dir and register seeded for the operation, fiscald started, the operation
 * started through the API, SIGKILL at the planned moment, fiscald restarted on the same data dir (and
 * the same register in pty mode), its jobs given time to settle once the device is back, one retry
 * as an operator would make when the job did not succeed, then the truth read from disk.
 */
export async function runKillTrial(options: TrialOptions): Promise<KillTrial> {
  const { operation, mode } = options;
  const prepared = await prepare(operation, mode);
  let daemon: CampaignDaemon | undefined;
  let finished = false;
  let keep = options.keepDataDir === true;
  try {
    daemon = await startCampaignDaemon(prepared.side, prepared.dataDir, prepared.machineNumber);
    // fiscald --simulate makes a register of its own when it cannot read the seeded one: that run would measure nothing.
    if (readRegisterTruth(prepared.side.statePath).initialized !== prepared.before.initialized) {
      throw new Error(`fiscald did not bring back the seeded register from ${prepared.side.statePath}`);
    }
    const started = await startOperation(daemon, operation, prepared.machineNumber);
    if (!('job' in started)) throw new Error(`${operation} (${mode}) did not start: ${started.refused}`);
    const plan = options.plan(started.job.stages.map((stage) => stage.id));
    const landing = await killDuringJob(daemon, started.job.id, plan);
    daemon = undefined;

    daemon = await startCampaignDaemon(prepared.side, prepared.dataDir, prepared.machineNumber);
    const unsettled = await waitForSettledJobs(daemon, options.settleMs ?? 30_000);
    const killedJob = (await listJobs(daemon)).find((job) => job.id === started.job.id);
    const backups = await committedBackups(prepared.dataDir, prepared.machineNumber);
    const reportedFailed = backupsReportedFailed(backups, landing.killedAt, killedJob);

    // What the register holds once the daemon has settled, before any retry: a try spent here and
    // refilled by a right PIN in the retry would not show in the final state alone.
    await prepared.side.saveNow();
    const settled = readRegisterTruth(prepared.side.statePath);

    let retry: string | null = null;
    if (killedJob?.state !== 'succeeded' && unsettled.length === 0) {
      const again = await startOperation(daemon, operation, prepared.machineNumber);
      if ('job' in again) {
        const stuck = await waitForSettledJobs(daemon, options.settleMs ?? 30_000);
        const ended = (await listJobs(daemon)).find((job) => job.id === again.job.id);
        retry = stuck.length > 0 ? 'still running' : `${ended?.state ?? 'missing'}${ended?.error ? ` ${ended.error.code}` : ''}`;
      } else {
        retry = `refused (${again.refused})`;
      }
    }
    const after = await finish(prepared, daemon);
    finished = true;
    const counters = countKillOutcome(prepared.before, [settled, after], reportedFailed.length, unsettled.length);
    keep = options.keepDataDir === true || (options.keepDataDir === 'when-counted' && Object.values(counters).some((n) => n > 0));
    return {
      operation, mode, plan, landing, ...(keep ? { dataDir: prepared.dataDir } : {}),
      killedJob: { state: killedJob?.state ?? 'missing', errorCode: killedJob?.error?.code ?? null },
      retry, before: prepared.before, settled, after,
      counters,
    };
  } finally {
    if (!finished) {
      await daemon?.stop().catch(() => undefined);
      await prepared.side.release().catch(() => undefined);
    }
    if (!keep) rmSync(prepared.dataDir, { recursive: true, force: true });
  }
}
