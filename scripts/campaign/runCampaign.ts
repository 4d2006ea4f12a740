// The reliability campaign (issue 15): its parts, the split of the time budget among them, and the verdict.
// SIGKILL restarts (d) run in the background for most of the budget (they mostly wait on daemons starting and
// jobs settling); the other parts run one after another in the foreground with their shares.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CampaignSummary } from '../../test/helpers/killCampaign/campaignReport.js';
import { runDaemonUpgradeKills, type DaemonUpgradeKillTotals } from './daemonUpgradeKills.js';
import { runDecoderFuzz, type DecoderFuzzTotals } from './decoderFuzz.js';
import { runHttpFuzz, type HttpFuzzTotals } from './httpFuzz.js';
import { runKillRestarts } from './killRestarts.js';
import { runMediaFaults, type MediaFaultTotals } from './mediaFaults.js';
import { runSoak, type SoakTotals } from './soak.js';
import { runUpgradeFaults, type UpgradeFaultTotals } from './upgradeFaults.js';
import { root, startTimedDaemon } from '../../bench/daemonProcess.js';
import { TEST_BINARIES_ENV } from '../../test/helpers/entryPoints.js';
import { buildTestBinaries } from '../../test/support/buildTestBinaries.js';

export const campaignParts = ['faults', 'decoders', 'http', 'kills', 'soak'] as const;
export type CampaignPart = (typeof campaignParts)[number];

export interface CampaignOptions {
  readonly minutes: number;
  readonly seed: number;
  readonly parts: readonly CampaignPart[];
  /** Caps for a short run (the test slice): at most this many of each, whatever the budget. */
  readonly caps?: { upgradeRuns?: number; backupRuns?: number; upgradeKills?: number; mediaRuns?: number; decoderInputs?: number; httpRequests?: number; kills?: number };
  readonly say?: (line: string) => void;
}

export interface CampaignResult {
  readonly seed: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly faults?: UpgradeFaultTotals & { daemonKills: DaemonUpgradeKillTotals; media: MediaFaultTotals };
  readonly decoders?: DecoderFuzzTotals;
  readonly http?: HttpFuzzTotals;
  readonly kills?: Omit<CampaignSummary, 'trials'>;
  readonly soak?: SoakTotals;
  /** Every reason the campaign fails; empty: it passes. */
  readonly failures: string[];
  /** The volume targets for a 10-minute run, and whether this run reached them (they do not fail a run). */
  readonly volume: { name: string; target: number; got: number }[];
}

/** Shares of the foreground budget; the kills run beside them. */
const shares: Record<Exclude<CampaignPart, 'kills'>, number> = { faults: 0.3, decoders: 0.26, http: 0.26, soak: 0.18 };
/** Share of the whole budget used for starting work; the rest is left for work in flight to end. */
const WORKING = 0.85;

/**
 * fiscald, fiscalctl and the simulator compiled once for the campaign, as the test run does (test/support/buildTestBinaries.ts):
 * the same code without tsx's transform at every start, which the kill trials and daemon parts pay dozens of times.
 * FISCAL_GATEWAY_CAMPAIGN_SOURCE_BINS=1 keeps the bins through tsx.
 */
async function compiledBinaries(): Promise<() => void> {
  if (process.env.FISCAL_GATEWAY_CAMPAIGN_SOURCE_BINS === '1' || process.env[TEST_BINARIES_ENV] !== undefined) return () => undefined;
  const cache = join(root, 'node_modules', '.cache', 'fiscal-gateway-campaign');
  mkdirSync(cache, { recursive: true });
  const outdir = mkdtempSync(join(cache, 'bin-'));
  await buildTestBinaries(outdir);
  process.env[TEST_BINARIES_ENV] = outdir;
  return () => {
    delete process.env[TEST_BINARIES_ENV];
    rmSync(outdir, { recursive: true, force: true });
  };
}

export async function runReliabilityCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const removeBinaries = await compiledBinaries();
  try {
    return await runParts(options);
  } finally {
    removeBinaries();
  }
}

async function runParts(options: CampaignOptions): Promise<CampaignResult> {
  const say = options.say ?? (() => undefined);
  const started = Date.now();
  const budgetMs = options.minutes * 60_000 * WORKING;
  const has = (part: CampaignPart) => options.parts.includes(part);
  const foreground = (Object.keys(shares) as (keyof typeof shares)[]).filter(has);
  const total = foreground.reduce((sum, part) => sum + shares[part], 0);
  // Each part ends at its own point of the budget: a part that overran (a daemon slow to start, work in flight
  // at its end) shortens the next ones instead of lengthening the campaign.
  const ends = new Map<keyof typeof shares, number>();
  let at = started;
  for (const part of foreground) ends.set(part, (at += (budgetMs * shares[part]) / total));
  const slice = (part: keyof typeof shares) => Math.max(0, ends.get(part)! - Date.now());
  const caps = options.caps ?? {};
  const result: { -readonly [K in keyof CampaignResult]: CampaignResult[K] } = { seed: options.seed, minutes: options.minutes, seconds: 0, failures: [], volume: [] };

  const kills = has('kills')
    ? runKillRestarts({ seed: options.seed, budgetMs: budgetMs * 0.92, concurrency: 2, ...(caps.kills === undefined ? {} : { maxKills: caps.kills }), say })
    : undefined;

  if (has('faults')) {
    // Serial path in process, then the stick and IC-card paths, then real SIGKILLs of fiscald mid-write.
    const whole = slice('faults');
    const faults = await runUpgradeFaults({
      seed: options.seed, budgetMs: whole * 0.5, backupShare: 0.3, say,
      ...(caps.upgradeRuns === undefined ? {} : { maxUpgradeRuns: caps.upgradeRuns }), ...(caps.backupRuns === undefined ? {} : { maxBackupRuns: caps.backupRuns }),
    });
    const media = await runMediaFaults({ seed: options.seed, budgetMs: Math.max(0, slice('faults') - whole * 0.25), ...(caps.mediaRuns === undefined ? {} : { maxRuns: caps.mediaRuns }) });
    say(`media: stick ${media.stick?.runs ?? 0} runs, card ${media.card?.runs ?? 0} runs`);
    const daemonKills = await runDaemonUpgradeKills({ seed: options.seed, budgetMs: slice('faults'), maxRuns: caps.upgradeKills ?? Infinity, say });
    result.faults = { ...faults, daemonKills, media };
  }
  if (has('decoders')) {
    result.decoders = await runDecoderFuzz({ seed: options.seed, budgetMs: slice('decoders'), ...(caps.decoderInputs === undefined ? {} : { maxInputs: caps.decoderInputs }), say });
  }
  if (has('http')) {
    const daemon = await startTimedDaemon({ simulate: 2 });
    const alive = () => {
      try { process.kill(daemon.pid, 0); return true; } catch { return false; }
    };
    try {
      result.http = await runHttpFuzz({ url: daemon.url, token: daemon.token, alive }, {
        seed: options.seed, budgetMs: slice('http'), concurrency: 12, ...(caps.httpRequests === undefined ? {} : { maxRequests: caps.httpRequests }), say,
      });
    } finally {
      await daemon.stop();
    }
  }
  if (has('soak')) result.soak = await runSoak({ seed: options.seed, budgetMs: slice('soak'), say });
  if (kills !== undefined) {
    const { trials: _trials, ...summary } = await kills;
    result.kills = summary;
  }
  result.seconds = (Date.now() - started) / 1000;
  judge(result);
  return result;
}

function judge(result: { -readonly [K in keyof CampaignResult]: CampaignResult[K] }): void {
  const fail = (count: number, what: string) => { if (count > 0) result.failures.push(`${count} ${what}`); };
  if (result.faults !== undefined) {
    const f = result.faults;
    fail(f.upgradeOutcomes.bricked + f.daemonKills.outcomes.bricked, 'bricked registers');
    fail(f.upgradeOutcomes['lost-data'] + f.backupOutcomes['lost-data'], 'runs that lost data');
    fail(f.upgradeOutcomes.hang + f.backupOutcomes.hang + f.daemonKills.outcomes.hang, 'hung upgrades or backups');
    fail(f.daemonKills.outcomes.error, 'upgrade kills the harness could not carry out');
    fail(f.resumes.overOneBlock, 'resumes that sent more than one block again');
    fail(f.activatedChangedPackage, 'upgrades activated after their package file changed');
    // The stick and card campaigns count a run that ended otherwise than its fault must end as a problem too.
    fail((f.media.stick?.problems.length ?? 0) + (f.media.card?.problems.length ?? 0), 'stick or IC-card runs bricked, unverified or ended unexpectedly');
    result.volume.push({ name: 'upgrade faults', target: 200, got: f.upgradeFaults + f.daemonKills.kills + (f.media.stick?.faults ?? 0) + (f.media.card?.faults ?? 0) });
  }
  if (result.decoders !== undefined) {
    fail(result.decoders.crashes, 'decoder crashes');
    fail(result.decoders.hangs, 'decoder hangs');
    result.volume.push({ name: 'decoder inputs', target: 1_000_000, got: result.decoders.inputs });
  }
  if (result.http !== undefined) {
    fail(result.http.fiveHundreds, 'HTTP 5xx answers');
    fail(result.http.outsideProblemJson, 'HTTP error answers outside problem+json');
    fail(result.http.hangs, 'HTTP requests without an answer');
    fail(result.http.daemonDown ? 1 : 0, 'daemon crash under HTTP fuzzing');
    result.volume.push({ name: 'HTTP requests', target: 10_000, got: result.http.requests });
  }
  if (result.kills !== undefined) {
    const k = result.kills;
    for (const [name, count] of Object.entries(k.totals)) fail(count, `kill campaign ${name}`);
    fail(k.errors, 'kill runs the harness could not carry out');
    result.volume.push({ name: 'SIGKILLs', target: 50, got: k.kills + (result.faults?.daemonKills.kills ?? 0) });
  }
  if (result.soak !== undefined) {
    const s = result.soak;
    fail(s.internalErrors, 'soak jobs with an internal error');
    fail(s.hangs, 'soak jobs that did not end');
    fail(s.rssLeak ? 1 : 0, 'RSS leak in the soak');
    fail(s.fdLeak ? 1 : 0, 'descriptor leak in the soak');
    fail(s.daemonDown ? 1 : 0, 'daemon down in the soak');
  }
}
