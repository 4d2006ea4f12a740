import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import type { BackupGate, BackupGatePass } from '../common/BackupGate.js';
import type { StageReporter } from '../common/ProgressPort.js';
import { stepFailure } from '../common/stepFailure.js';
import type { DeregisterRegister } from './DeregisterRegister.js';
import { deregistrationOf } from '../common/deregistrationOf.js';
import type { PastRecord } from '../common/PastRecord.js';
import type { DeregisterRequest } from './deregisterRequest.js';
import { deregistrationSummary } from './deregistrationSummary.js';
import type { FinalState } from './FinalState.js';
import { readFinalState, undeclaredSince } from './readFinalState.js';

export const DEREGISTER_JOB_KIND = 'deregister';

/** The backup dominates; nothing here writes the register, so no stage is critical. */
export const deregistrationStages = [
  { id: 'backup', weight: 80 },
  { id: 'final-state', weight: 15 },
  { id: 'retire', weight: 3 },
  { id: 'record', weight: 2 },
] as const;

export interface DeregistrationDeps {
  /** The backup gate for this register (the backup area's, src/services/common/BackupGate.ts): reuses a current verified backup or makes one. */
  readonly backupGate: BackupGate;
  /** Lends the register for the stages after the backup. */
  withRegister<T>(work: (register: DeregisterRegister) => Promise<T>): Promise<T>;
  readonly operator: string;
  /** This gateway's earlier service records of the register: a second deregistration is refused. */
  readonly history?: readonly PastRecord[];
  readonly maxBackupAgeMs?: number;
  readonly now?: () => Date;
  readonly card?: CardSessionOptions;
  /** The register time zone for the printable record, minutes east of UTC; UTC+8 when absent. */
  readonly utcOffsetMinutes?: number;
}

export interface DeregistrationResult {
  readonly machineNumber: string;
  readonly fiscalCardNumber: string;
  readonly backup: BackupGatePass;
  readonly finalState: FinalState;
  readonly undeclaredSince: string | null;
  /** The printable zh-CN service record for the tax office. */
  readonly summary: string;
  /** What is left to do by hand, in both languages. */
  readonly technician: { readonly 'zh-CN': string; readonly en: string };
}

const technician = {
  'zh-CN': '请从收款机取出税控卡，连同本服务记录交税务机关收回并剪角作废；网关无法替代这一步。',
  en: 'Take the fiscal card out of the register and hand it, with this service record, to the tax office to be collected and punched; the gateway cannot do this step.',
} as const;

const nothingChanged = { 'zh-CN': '收款机的税控数据未被更改', en: 'no fiscal data of the register was changed' } as const;

/**
 * Deregistration (注销, GB18240.md "Flows"). The register has no GB-link command for it and its fiscal
 * memory is write-once, so the gateway changes no fiscal data; it:
 * 0. refuses a register its own records show deregistered already (DEREG_ALREADY_DONE);
 * 1. makes sure a verified backup of the register from the last hour, made since its last change, exists
 *    (the backup gate makes one when none does), before anything else;
 * 2. reads the final state (identity, taxpayer, status, counters, last declaration and invoice, the
 *    fiscal card without its PIN) and refuses while sales after the last declaration remain, unless
 *    `allowUndeclared`;
 * 3. powers the fiscal card off (GB link 5A): from here the gateway leaves it alone;
 * 4. writes the service record the tax office asks for (JSON and a printable zh-CN summary), and tells
 *    the technician to take the fiscal card out for the tax office to collect and punch.
 */
export async function runDeregistration(deps: DeregistrationDeps, request: DeregisterRequest, reporter: StageReporter): Promise<DeregistrationResult> {
  const now = deps.now ?? (() => new Date());
  reporter.stage('backup');
  const done = deregistrationOf(deps.history ?? []);
  if (done !== undefined) throw new GatewayError('DEREG_ALREADY_DONE', { params: { at: done.at, recordId: done.recordId }, data: { ...done } });
  const backup = await deps.backupGate.pass({
    operation: 'deregistration', now, ...(deps.maxBackupAgeMs === undefined ? {} : { maxAgeMs: deps.maxBackupAgeMs }),
  });
  reporter.progress(1, backup.reused ? `backup ${backup.backupId} reused` : `backup ${backup.backupId} made`);
  // The gate passed: a run resumed after an interruption finds this backup again (and says which one it had).
  reporter.checkpoint({ backupId: backup.backupId });

  return deps.withRegister(async (register) => {
    reporter.stage('final-state');
    const status = await register.status();
    if (!status.initialized) throw new GatewayError('DEREG_REGISTER_NOT_INITIALIZED');
    const state = await readFinalState(register, now(), deps.card);
    const machineNumber = state.register.machineNumber;
    reporter.record({ action: DEREGISTER_JOB_KIND, machineNumber, before: { finalState: state, backupId: backup.backupId } });
    const since = undeclaredSince(state);
    if (since !== undefined && !request.allowUndeclared) {
      throw new GatewayError('DEREG_UNDECLARED_PERIOD', {
        params: { lastDeclarationEnd: state.status.lastDeclarationEnd ?? '—', since }, data: { since, lastSignedDay: state.status.lastSignedDay },
      });
    }
    reporter.progress(1, 'final state read');

    reporter.stage('retire');
    if (state.status.fiscalSlot !== 'empty') {
      try {
        await register.cardPowerOff('fiscal');
      } catch (error) {
        if (!isGatewayError(error)) throw error;
        throw stepFailure('DEREG_STEP_FAILED', 'fiscal card power off (GB link 5A)', error, nothingChanged);
      }
    }
    reporter.progress(1, 'fiscal card powered off');

    reporter.stage('record');
    const summary = deregistrationSummary({
      state, backup, operator: deps.operator, undeclaredSince: since, allowUndeclared: request.allowUndeclared,
      ...(request.note === undefined ? {} : { note: request.note }),
      ...(deps.utcOffsetMinutes === undefined ? {} : { utcOffsetMinutes: deps.utcOffsetMinutes }),
    });
    reporter.record({
      after: {
        deregistered: true, backupId: backup.backupId, fiscalCardNumber: state.fiscalCardNumber, counters: state.counters,
        undeclaredSince: since ?? null, fiscalCardPoweredOff: state.status.fiscalSlot !== 'empty', technician, summary,
        ...(request.note === undefined ? {} : { note: request.note }),
      },
    });
    reporter.progress(1, 'service record written');
    return {
      machineNumber, fiscalCardNumber: state.fiscalCardNumber, backup, finalState: state, undeclaredSince: since ?? null, summary, technician,
    };
  });
}
