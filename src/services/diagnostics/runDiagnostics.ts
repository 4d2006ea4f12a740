import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES } from '../../../protocols/gb-link/registerTimeZone.js';
import type { StageSpec } from '../../store/types.js';
import type { DeviceRunContext } from '../common/DeviceRunContext.js';
import { statusRank, type CheckResult, type CheckStatus } from './Check.js';
import { evaluateChecks } from './checkRegistry.js';
import type { DiagnosticsPort } from './DiagnosticsPort.js';
import type { KnownFacts, Observations } from './Observations.js';
import { observeRegister } from './observeRegister.js';
import { repeatFaults, type RepeatFault } from './repeatFaults.js';

export const diagnosticsStages: readonly StageSpec[] = [
  { id: 'reading', weight: 8 },
  { id: 'judging', weight: 1 },
];

/** One line per check for older readers of the report (fiscalctl diagnose before the check registry). */
export interface Finding {
  readonly check: string;
  readonly severity: 'ok' | 'info' | 'warning' | 'fault';
  readonly zh: string;
  readonly en: string;
  readonly remedyZh?: string;
  readonly remedyEn?: string;
  readonly code?: string;
}

export interface DiagnosticsReport {
  readonly deviceId: string;
  readonly machineNumber: string;
  readonly checkedAt: string;
  readonly verdict: 'ok' | 'attention' | 'fault';
  readonly summary: { readonly zh: string; readonly en: string };
  readonly counts: Readonly<Record<CheckStatus, number>>;
  /** The worst check (fault before warning before not-run), null when all are ok. */
  readonly worst: { readonly id: string; readonly status: CheckStatus; readonly zh: string; readonly en: string } | null;
  readonly checks: readonly CheckResult[];
  /** Faults a repair of this register put right within the last six months. */
  readonly repeats: readonly RepeatFault[];
  readonly findings: readonly Finding[];
  /** What the device view shows until the next diagnosis: fiscal state, taxpayer, deadline, cards. */
  readonly register: RegisterSummary;
  readonly status: Record<string, unknown> | null;
  readonly clock: { readonly register: string; readonly host: string; readonly skewSeconds: number } | null;
}

export interface RegisterSummary {
  /** null when the status could not be read. */
  readonly initialized: boolean | null;
  readonly mode: 'application' | 'bootloader';
  readonly taxpayer: { readonly number: string; readonly id: string; readonly name: string } | null;
  readonly issueDeadline: string | null;
  readonly cards: { readonly fiscal: boolean | null; readonly user: boolean | null };
}

function summaryOf(o: Observations): RegisterSummary {
  const status = o.status.state === 'ok' ? o.status.value : null;
  const info = o.userInfo.state === 'ok' ? o.userInfo.value : null;
  const present = (reading: Observations['fiscalCard'], fromStatus: boolean | undefined) =>
    reading.state === 'ok' ? reading.value !== null : (fromStatus ?? null);
  return {
    initialized: status?.initialized ?? null,
    mode: o.mode,
    taxpayer: info === null ? null : { number: info.taxpayerNumber, id: info.taxpayerId, name: info.taxpayerName },
    issueDeadline: status?.detail?.issueDeadline ?? null,
    cards: { fiscal: present(o.fiscalCard, status?.fiscalCardPresent), user: present(o.userCard, status?.userCardPresent) },
  };
}

export interface DiagnosticsOptions {
  readonly now?: () => Date;
  readonly utcOffsetMinutes?: number;
  /** What the gateway knows of the register beyond it (its records, its packages). */
  readonly known?: () => Promise<KnownFacts> | KnownFacts;
}

export function verdictOf(checks: readonly CheckResult[]): Pick<DiagnosticsReport, 'verdict' | 'summary' | 'counts' | 'worst'> {
  const counts: Record<CheckStatus, number> = { ok: 0, warning: 0, fault: 0, 'not-run': 0 };
  for (const check of checks) counts[check.status] += 1;
  const worstCheck = checks.reduce<CheckResult | null>((worst, check) => (statusRank[check.status] > statusRank[worst?.status ?? 'ok'] ? check : worst), null);
  const worst = worstCheck === null ? null : { id: worstCheck.id, status: worstCheck.status, zh: worstCheck.summary.zh, en: worstCheck.summary.en };
  const skipped = counts['not-run'] > 0 ? { zh: `，${counts['not-run']} 项未能检查`, en: `; ${counts['not-run']} could not be checked` } : { zh: '', en: '' };
  if (counts.fault > 0) return { verdict: 'fault', counts, worst, summary: { zh: `发现 ${counts.fault} 项故障，请按提示处理${skipped.zh}`, en: `${counts.fault} fault(s) found; follow the remedies${skipped.en}` } };
  if (counts.warning > 0) return { verdict: 'attention', counts, worst, summary: { zh: `有 ${counts.warning} 项需要注意${skipped.zh}`, en: `${counts.warning} item(s) need attention${skipped.en}` } };
  return { verdict: 'ok', counts, worst, summary: { zh: `收款机状态正常（${counts.ok} 项检查通过${skipped.zh}）`, en: `The register is in good order (${counts.ok} checks passed${skipped.en})` } };
}

function findingOf(check: CheckResult): Finding {
  return {
    check: check.id, severity: check.status === 'not-run' ? 'info' : check.status, zh: check.summary.zh, en: check.summary.en,
    ...(check.remedy ? { remedyZh: check.remedy.zh, remedyEn: check.remedy.en } : {}),
    ...(check.code ? { code: check.code } : {}),
  };
}

/**
 * The diagnostics job: every read the check registry needs (reads only, each on its own), then every check
 * judged, in plain words with its remedy and who can act.
 */
export async function runDiagnostics(ctx: DeviceRunContext, port: DiagnosticsPort, options: DiagnosticsOptions = {}): Promise<DiagnosticsReport> {
  ctx.record({ action: 'diagnostics', machineNumber: port.machineNumber });
  const now = options.now ?? (() => new Date());
  const known = (await options.known?.()) ?? {};
  ctx.stage('reading');
  let steps = 0;
  const observations = await observeRegister(port, {
    deviceId: ctx.deviceId, signal: ctx.signal, now, utcOffsetMinutes: options.utcOffsetMinutes ?? DEFAULT_REGISTER_UTC_OFFSET_MINUTES, known,
    onStep: (step) => { steps += 1; ctx.progress(Math.min(1, steps / 12), step); },
  });
  ctx.stage('judging');
  const checks = evaluateChecks(observations);
  ctx.progress(1);
  const register = observations.clock.state === 'ok' ? observations.clock.value : null;
  const report: DiagnosticsReport = {
    deviceId: ctx.deviceId, machineNumber: port.machineNumber, checkedAt: observations.host.toISOString(),
    ...verdictOf(checks), checks, repeats: repeatFaults(checks, known.repairs ?? [], observations.host), findings: checks.map(findingOf), register: summaryOf(observations),
    status: observations.status.state === 'ok' ? observations.status.value.raw : null,
    clock: register === null ? null : {
      register: register.toISOString(), host: observations.host.toISOString(), skewSeconds: Math.round((register.getTime() - observations.host.getTime()) / 1000),
    },
  };
  ctx.record({
    after: {
      verdict: report.verdict, faults: checks.filter((c) => c.status === 'fault').map((c) => c.id),
      repeats: report.repeats.map((r) => ({ check: r.check, repairRecordId: r.repair.recordId })),
    },
  });
  return report;
}
