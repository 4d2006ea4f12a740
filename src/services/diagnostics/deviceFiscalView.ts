import type { DeviceSnapshot } from '../../devices/Device.js';
import type { Store } from '../../store/Store.js';
import type { ServiceRecord } from '../../store/types.js';
import type { RepairFact } from './repeatFaults.js';
import type { DiagnosticsReport } from './runDiagnostics.js';

export const DIAGNOSTICS_JOB_KIND = 'diagnostics';

/** new / initialized / deregistered / in its bootloader; unknown until the register has been diagnosed once. */
export type FiscalState = 'new' | 'initialized' | 'deregistered' | 'bootloader' | 'unknown';

/** What the device list tells at a glance, from the gateway's own store (never touching hardware). */
export interface FiscalView {
  readonly fiscalState: FiscalState;
  readonly taxpayer: { readonly number: string; readonly id: string; readonly name: string } | null;
  readonly issueDeadline: string | null;
  readonly lastDiagnosis: {
    readonly id: string; readonly at: string; readonly verdict: DiagnosticsReport['verdict'];
    readonly worst: DiagnosticsReport['worst'];
  } | null;
  readonly lastBackup: { readonly at: string; readonly jobId: string | null; readonly backupId: string | null } | null;
  readonly cards: { readonly fiscal: boolean | null; readonly user: boolean | null };
}

const succeeded = (records: readonly ServiceRecord[], action: string) =>
  records.filter((r) => r.action === action && r.result === 'succeeded').at(-1);

/** When the register was last deregistered by this gateway with no initialization since; undefined otherwise. */
export function deregisteredAt(records: readonly ServiceRecord[]): string | undefined {
  const deregistration = succeeded(records, 'deregister');
  const initialization = succeeded(records, 'initialize');
  if (deregistration === undefined) return undefined;
  return initialization !== undefined && initialization.at > deregistration.at ? undefined : deregistration.at;
}

/** The repairs recorded for a register (POST /v1/records/repairs), for repeat faults. */
export function repairsOf(records: readonly ServiceRecord[]): RepairFact[] {
  return records.filter((r) => r.action === 'repair' && r.result === 'succeeded').map((r) => ({
    recordId: r.id, at: r.at, work: String(r.params.work ?? ''),
    checks: Array.isArray(r.params.checks) ? r.params.checks.map(String) : [],
    diagnosisId: typeof r.params.diagnosisId === 'string' ? r.params.diagnosisId : null,
  }));
}

function isReport(value: unknown): value is DiagnosticsReport {
  return typeof value === 'object' && value !== null && 'checks' in value && 'verdict' in value;
}

/** The newest diagnosis of the device that produced a report of the check registry. */
export function lastDiagnosis(store: Store, deviceId: string): { id: string; report: DiagnosticsReport } | undefined {
  const row = store.jobs.list({ deviceId, state: 'succeeded', limit: 500 }).find((job) => job.kind === DIAGNOSTICS_JOB_KIND && isReport(job.result));
  return row === undefined ? undefined : { id: row.id, report: row.result as DiagnosticsReport };
}

export function fiscalViewOf(device: Pick<DeviceSnapshot, 'id' | 'state' | 'identity'>, store: Store): FiscalView {
  const records = store.records.list({ device: device.id });
  const diagnosis = lastDiagnosis(store, device.id);
  const report = diagnosis?.report;
  const summary = report?.register;
  const backup = succeeded(records, 'backup');
  const backupAfter = backup?.after as { backupId?: unknown } | null | undefined;
  const backupId = typeof backupAfter?.backupId === 'string' ? backupAfter.backupId : null;
  const gone = deregisteredAt(records);
  const fiscalState: FiscalState = device.state === 'bootloader' || device.identity?.mode === 'bootloader' ? 'bootloader'
    : gone !== undefined ? 'deregistered'
      : summary?.initialized === true ? 'initialized'
        : summary?.initialized === false ? 'new' : 'unknown';
  return {
    fiscalState,
    taxpayer: summary?.taxpayer ?? null,
    issueDeadline: summary?.issueDeadline ?? null,
    lastDiagnosis: diagnosis === undefined || report === undefined ? null : { id: diagnosis.id, at: report.checkedAt, verdict: report.verdict, worst: report.worst },
    lastBackup: backup === undefined ? null : { at: backup.at, jobId: backup.jobId, backupId },
    cards: summary?.cards ?? { fiscal: null, user: null },
  };
}

/** One stored diagnosis by its id (the job id), with the operator who ran it; undefined when there is none. */
export function storedDiagnosis(store: Store, id: string): (DiagnosticsReport & { id: string; operator: string }) | undefined {
  const row = store.jobs.get(id);
  if (row === undefined || row.kind !== DIAGNOSTICS_JOB_KIND || !isReport(row.result)) return undefined;
  return { ...row.result, id: row.id, operator: row.operator };
}
