import { ExitCode, isGatewayError } from '../../../contracts/errors/index.js';
import type { JobContext } from '../../jobs/types.js';
import type { StageSpec } from '../../store/types.js';
import { selfCheckNames, type DiagnosticsPort, type SelfCheckOutcome } from './DiagnosticsPort.js';
import { clockFinding, selfCheckFinding, statusFindings, verdictOf, type Finding } from './findings.js';

export const diagnosticsStages: readonly StageSpec[] = [
  { id: 'self-checks', weight: 6 },
  { id: 'status', weight: 1 },
  { id: 'clock', weight: 1 },
];

export interface DiagnosticsReport {
  readonly deviceId: string;
  readonly machineNumber: string;
  readonly checkedAt: string;
  readonly verdict: 'ok' | 'attention' | 'fault';
  readonly summary: { readonly zh: string; readonly en: string };
  readonly findings: readonly Finding[];
  readonly status: Record<string, unknown>;
  readonly clock: { readonly register: string; readonly host: string; readonly skewSeconds: number };
}

/** A failed check is a finding; a link that stopped answering ends the run (nothing more can be learned). */
async function attempt(check: () => Promise<SelfCheckOutcome>): Promise<SelfCheckOutcome> {
  try {
    return await check();
  } catch (error) {
    if (isGatewayError(error) && error.spec.exit !== ExitCode.unreachable && error.code !== 'CANCELLED') {
      return { passed: false, code: error.code, detail: error.localized('en') };
    }
    throw error;
  }
}

/** The diagnostics job: GB link 5C–61 self-checks, 41 status, 3A clock against the host, judged in plain words. */
export async function runDiagnostics(ctx: JobContext, port: DiagnosticsPort, now: () => Date = () => new Date()): Promise<DiagnosticsReport> {
  ctx.record({ action: 'diagnostics', machineNumber: port.machineNumber });
  const findings: Finding[] = [];

  ctx.stage('self-checks');
  for (const [index, name] of selfCheckNames.entries()) {
    ctx.throwIfCancelled();
    findings.push(selfCheckFinding(name, await attempt(() => port.selfCheck(name, ctx.signal))));
    ctx.progress((index + 1) / selfCheckNames.length, name);
  }

  ctx.stage('status');
  const status = await port.status(ctx.signal);
  findings.push(...statusFindings(status, ctx.deviceId));
  ctx.progress(1);

  ctx.stage('clock');
  const host = now();
  const register = await port.clock(ctx.signal);
  const clock = clockFinding(register, host);
  findings.push(clock);
  ctx.progress(1);

  const verdict = verdictOf(findings);
  const report: DiagnosticsReport = {
    deviceId: ctx.deviceId, machineNumber: port.machineNumber, checkedAt: host.toISOString(),
    verdict: verdict.verdict, summary: { zh: verdict.zh, en: verdict.en }, findings, status: status.raw,
    clock: { register: register.toISOString(), host: host.toISOString(), skewSeconds: Math.round((register.getTime() - host.getTime()) / 1000) },
  };
  ctx.record({ after: { verdict: report.verdict, faults: findings.filter((f) => f.severity === 'fault').map((f) => f.check) } });
  return report;
}
