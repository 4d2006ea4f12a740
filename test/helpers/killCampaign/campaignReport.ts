import { campaignModes, type CampaignMode } from './campaignDevice.js';
import { campaignOperations, type CampaignOperation } from './campaignOperations.js';
import type { KillCounters, KillTrial } from './runKillTrial.js';

export const counterNames = ['pinTriesSpent', 'cardRegisteredToUninitializedRegister', 'committedBackupsReportedFailed', 'jobsUnreconciled'] as const;

/** A run that could not be carried out (the daemon did not start, the operation was refused…): the campaign fails, it is not counted as a pass. */
export interface TrialError {
  readonly operation: CampaignOperation;
  readonly mode: CampaignMode;
  readonly error: string;
}

export interface CampaignRow {
  readonly operation: CampaignOperation;
  readonly mode: CampaignMode;
  readonly runs: number;
  readonly kills: number;
  /** Kills that came while the job was still running (not after its end). */
  readonly killsInsideJob: number;
  readonly errors: number;
  readonly counters: KillCounters;
  /** The killed jobs' end states after the restart, e.g. `failed INTERRUPTED_BY_RESTART: 3`. */
  readonly killedJobStates: Record<string, number>;
  /** What the operator's retry did, when there was one. */
  readonly retries: Record<string, number>;
}

export interface CampaignSummary {
  readonly seed: number;
  readonly kills: number;
  readonly killsInsideJob: number;
  readonly errors: number;
  readonly totals: KillCounters;
  readonly rows: readonly CampaignRow[];
  readonly trials: readonly KillTrial[];
  readonly failures: readonly TrialError[];
  readonly ok: boolean;
}

const zero = (): Record<(typeof counterNames)[number], number> => ({ pinTriesSpent: 0, cardRegisteredToUninitializedRegister: 0, committedBackupsReportedFailed: 0, jobsUnreconciled: 0 });

function tally(into: Record<string, number>, key: string): void {
  into[key] = (into[key] ?? 0) + 1;
}

export function summarize(seed: number, trials: readonly KillTrial[], failures: readonly TrialError[]): CampaignSummary {
  const keys = new Map<string, { operation: CampaignOperation; mode: CampaignMode }>();
  for (const each of [...trials, ...failures]) keys.set(`${each.operation}/${each.mode}`, { operation: each.operation, mode: each.mode });
  const order = (key: { operation: CampaignOperation; mode: CampaignMode }) => campaignModes.indexOf(key.mode) * 100 + campaignOperations.indexOf(key.operation);
  const rows = [...keys.values()].sort((a, b) => order(a) - order(b)).map(({ operation, mode }): CampaignRow => {
    const mine = trials.filter((t) => t.operation === operation && t.mode === mode);
    const errors = failures.filter((f) => f.operation === operation && f.mode === mode).length;
    const counters = zero();
    const killedJobStates: Record<string, number> = {};
    const retries: Record<string, number> = {};
    for (const trial of mine) {
      for (const name of counterNames) counters[name] += trial.counters[name];
      tally(killedJobStates, `${trial.killedJob.state}${trial.killedJob.errorCode ? ` ${trial.killedJob.errorCode}` : ''}`);
      if (trial.retry !== null) tally(retries, trial.retry);
    }
    return { operation, mode, runs: mine.length + errors, kills: mine.length, killsInsideJob: mine.filter((t) => !t.landing.afterEnd).length, errors, counters, killedJobStates, retries };
  });
  const totals = zero();
  for (const row of rows) for (const name of counterNames) totals[name] += row.counters[name];
  return {
    seed, kills: trials.length, killsInsideJob: trials.filter((t) => !t.landing.afterEnd).length, errors: failures.length,
    totals, rows, trials, failures,
    ok: failures.length === 0 && counterNames.every((name) => totals[name] === 0),
  };
}

const headers = ['operation', 'mode', 'runs', 'kills', 'in job', 'PIN tries spent', 'card reg./reg. uninit.', 'backup ok, job failed', 'jobs unreconciled', 'errors'];

/** The table the script prints: one line per operation and mode, then the totals. */
export function formatSummary(summary: CampaignSummary): string {
  const lines = summary.rows.map((row) => [
    row.operation, row.mode, String(row.runs), String(row.kills), String(row.killsInsideJob),
    ...counterNames.map((name) => String(row.counters[name])), String(row.errors),
  ]);
  lines.push(['total', '', String(summary.kills + summary.errors), String(summary.kills), String(summary.killsInsideJob), ...counterNames.map((name) => String(summary.totals[name])), String(summary.errors)]);
  const widths = headers.map((header, i) => Math.max(header.length, ...lines.map((line) => line[i]!.length)));
  const render = (cells: readonly string[]) => cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  const out = [render(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.slice(0, -1).map(render), widths.map((w) => '-'.repeat(w)).join('  '), render(lines.at(-1)!)];
  out.push('');
  for (const row of summary.rows) {
    const states = Object.entries(row.killedJobStates).map(([state, n]) => `${state} ×${n}`).join(', ');
    const retries = Object.entries(row.retries).map(([what, n]) => `${what} ×${n}`).join(', ');
    out.push(`${row.operation}/${row.mode}: killed job after restart: ${states || '-'}; operator retry: ${retries || 'none needed'}`);
  }
  for (const failure of summary.failures) out.push(`error in ${failure.operation}/${failure.mode}: ${failure.error}`);
  out.push(`seed ${summary.seed}: ${summary.ok ? 'every counter is 0' : 'FAILED: a counter is not 0 or a run could not be carried out'}`);
  return out.join('\n');
}
