// Campaign part (a), the real thing: SIGKILL of `fiscald --simulate=1` while it writes a firmware image (the register
// inside it loses power with it), then fiscald started again on the same data dir. Its reconcile must bring the
// upgrade to an end by itself: the register running the old image or the new one, verified; never a register that
// does not come back, a job left running, or a job that says one thing while the register runs another.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../../fixtures/simulator/Rng.js';
import { finished, jobOf, startTimedDaemon, trustedKeysDir, uploadPackage, waitForJob, type TimedDaemon } from '../../bench/daemonProcess.js';

export type KillUpgradeOutcome = 'new-verified' | 'old-working' | 'bricked' | 'hang' | 'error';

export interface DaemonUpgradeKillTotals {
  runs: number;
  kills: number;
  outcomes: Record<KillUpgradeOutcome, number>;
  /** The killed job as the restarted daemon ended it, e.g. `succeeded`, `failed INTERRUPTED_BY_RESTART`. */
  jobEndings: Record<string, number>;
  /** Kills per register protocol version (`v2`: counted 74 blocks; `v1`: profile window-v1). */
  killsByProtocol: Record<string, number>;
  problems: string[];
}

interface DeviceRow { id: string; state: string; identity?: { model: string; firmwareVersion: string } }

const IMAGE_BYTES = 256 * 1024;

async function device(daemon: TimedDaemon): Promise<DeviceRow | undefined> {
  return (await daemon.get<{ devices: DeviceRow[] }>('/v1/devices')).json.devices[0];
}

async function oneKill(rng: Rng, runIndex: number): Promise<{ outcome: KillUpgradeOutcome; ending: string; note: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'fg-campaign-upgrade-kill-'));
  const trusted = trustedKeysDir();
  // Runs alternate a version-2 register (counted 74 blocks, the default) and a version-1 one (plain 74 blocks).
  const args = ['--trusted-keys', trusted, ...(runIndex % 2 === 1 ? ['--simulator-profile', 'window-v1'] : [])];
  let daemon: TimedDaemon | undefined;
  try {
    daemon = await startTimedDaemon({ simulate: 1, dataDir, args });
    const before = (await device(daemon))!;
    const from = before.identity!.firmwareVersion;
    const target = `9.${runIndex % 100}.${rng.int(0, 99)}`;
    const packageId = await uploadPackage(daemon, before.identity!.model, IMAGE_BYTES, target);
    const started = await daemon.request('POST', `/v1/devices/${before.id}/upgrade`, { package: packageId, path: 'serial' });
    if (started.status !== 202) return { outcome: 'error', ending: `not started ${started.status}`, note: JSON.stringify(started.json).slice(0, 200) };
    const jobId = (started.json as { job: { id: string } }).job.id;
    const writing = await waitForJob(daemon, jobId, (job) => job.stage === 'write' || finished(job), 120_000);
    if (finished(writing)) return { outcome: 'error', ending: `ended before its write: ${writing.state}`, note: writing.error?.code ?? '' };
    await new Promise((r) => setTimeout(r, rng.int(0, 2500)));
    const stageAtKill = (await jobOf(daemon, jobId)).stage;
    await daemon.kill9();
    daemon = undefined;

    daemon = await startTimedDaemon({ simulate: 1, dataDir, args });
    let job;
    try {
      job = await waitForJob(daemon, jobId, finished, 180_000);
    } catch {
      return { outcome: 'hang', ending: 'still running', note: `killed in ${stageAtKill}; the job did not end 180 s after the restart` };
    }
    const ending = `${job.state}${job.error ? ` ${job.error.code}` : ''}`;
    // Give the register a moment to come back from a revert or reboot before judging what it runs.
    const deadline = Date.now() + 30_000;
    let after = await device(daemon);
    while ((after?.state !== 'online' || after.identity === undefined) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      after = await device(daemon);
    }
    if (after?.state !== 'online' || after.identity === undefined) return { outcome: 'bricked', ending, note: `killed in ${stageAtKill}; the register is ${after?.state ?? 'gone'} after the restart` };
    const running = after.identity.firmwareVersion;
    if (job.state === 'succeeded' && running === target) return { outcome: 'new-verified', ending, note: '' };
    if (job.state !== 'succeeded' && running === from) return { outcome: 'old-working', ending, note: '' };
    return { outcome: 'bricked', ending, note: `killed in ${stageAtKill}; job ${ending} but the register runs ${running} (old ${from}, target ${target})` };
  } finally {
    await daemon?.stop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(trusted, { recursive: true, force: true });
  }
}

export interface DaemonUpgradeKillOptions {
  readonly seed: number;
  readonly budgetMs: number;
  readonly maxRuns?: number;
  readonly say?: (line: string) => void;
}

export async function runDaemonUpgradeKills(options: DaemonUpgradeKillOptions): Promise<DaemonUpgradeKillTotals> {
  const rng = new Rng(options.seed);
  const totals: DaemonUpgradeKillTotals = { runs: 0, kills: 0, outcomes: { 'new-verified': 0, 'old-working': 0, bricked: 0, hang: 0, error: 0 }, jobEndings: {}, killsByProtocol: {}, problems: [] };
  const deadline = Date.now() + options.budgetMs;
  // A run starts fiscald twice and waits for the reconcile: start one only when about that much time is left.
  let expectedMs = options.maxRuns !== undefined && options.maxRuns < Infinity ? 0 : 20_000;
  for (let i = 0; Date.now() + expectedMs < deadline && i < (options.maxRuns ?? Infinity); i += 1) {
    const runStarted = Date.now();
    let result: Awaited<ReturnType<typeof oneKill>>;
    try {
      result = await oneKill(rng, i);
    } catch (error) {
      result = { outcome: 'error', ending: 'harness', note: (error instanceof Error ? error.message : String(error)).split('\n')[0]!.slice(0, 300) };
    }
    totals.runs += 1;
    expectedMs = Math.max(expectedMs, Date.now() - runStarted);
    if (result.outcome !== 'error') {
      totals.kills += 1;
      const protocol = i % 2 === 1 ? 'v1' : 'v2';
      totals.killsByProtocol[protocol] = (totals.killsByProtocol[protocol] ?? 0) + 1;
    }
    totals.outcomes[result.outcome] += 1;
    totals.jobEndings[result.ending] = (totals.jobEndings[result.ending] ?? 0) + 1;
    if (result.outcome !== 'new-verified' && result.outcome !== 'old-working') totals.problems.push(`upgrade kill ${i}: ${result.outcome} (${result.ending}) ${result.note}`);
    options.say?.(`upgrade kill ${i}: ${result.outcome}, job ${result.ending}${result.note ? ` — ${result.note}` : ''}`);
  }
  return totals;
}
