import { deregistrationOf } from '../common/deregistrationOf.js';
import type { PastRecord } from '../common/PastRecord.js';
import { GatewayError } from '../../../contracts/errors/index.js';
import type { RegisterStatus, TaxpayerUpdate, UserInfo } from '../../../protocols/gb-link/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import type { StageReporter } from '../common/ProgressPort.js';
import { isInDoubt } from '../common/linkFailure.js';
import { stepFailure } from '../common/stepFailure.js';
import { openSlotCard } from '../common/openSlotCard.js';
import { readSlotUserCard } from '../common/readSlotUserCard.js';
import type { ChangeRegister } from './ChangeRegister.js';
import type { ChangeRequest } from './changeRequest.js';
import { controlMismatches, planControlUpdate, readBackControls, writeBackControls, type ControlUpdatePlan } from './updateControls.js';
import type { FiscalMonitoringData } from '../../../protocols/gb18240-card/fiscalFiles.js';
import type { UserControlRecord } from '../../../protocols/gb18240-card/userFiles.js';

export const CHANGE_JOB_KIND = 'registration-change';

/** What a change job checkpoints before it writes the register (src/jobs/ENGINE.md). */
export interface ChangeCheckpoint {
  readonly phase: 'applying';
  readonly kind: ChangeRequest['kind'];
  readonly machineNumber: string;
  readonly before: ReturnType<typeof registerView>;
  /** The GB link 62 about to be sent. */
  readonly update?: TaxpayerUpdate;
  /** The GB link 40 about to be sent: the control record it brings, and the fiscal card's monitoring data before. */
  readonly control?: { readonly record: UserControlRecord; readonly fiscalBefore: FiscalMonitoringData };
}

/** The register write (62 or 40) must not be cut by a cancel. */
export const changeStages = [
  { id: 'check', weight: 2 },
  { id: 'apply', weight: 3, critical: true },
  { id: 'verify', weight: 2 },
] as const;

export interface ChangeResult {
  readonly kind: ChangeRequest['kind'];
  readonly machineNumber: string;
  /** What reached the register: GB link 62, 40, or nothing (kept in the service record only). */
  readonly register: 'gb-link-62' | 'gb-link-40' | 'unchanged' | 'record-only';
  readonly before: Record<string, unknown>;
  readonly after: Record<string, unknown>;
  /** Facts for people: when approved limits take effect, what the gateway could not write. */
  readonly notes: readonly string[];
}

export function registerView(info: UserInfo, status: RegisterStatus) {
  return {
    taxpayerNumber: info.taxpayerNumber, taxpayerId: info.taxpayerId, taxpayerName: info.taxpayerName, officeCode: info.officeCode,
    declarationMode: info.declarationMode, fiscalCardNumber: info.fiscalCardNumber,
    issueDeadline: status.issueDeadline, awaitingControlUpdate: status.awaitingControlUpdate,
  };
}

/** The fields of the request that only the service record keeps. */
function recordOnly(request: ChangeRequest): Record<string, unknown> {
  const { kind: _kind, ...rest } = request;
  const dropped = new Set(['taxpayerName', 'declarationMode', 'officeCode', 'taxpayerId', 'allowLastPinTry']);
  return Object.fromEntries(Object.entries(rest).filter(([key, value]) => !dropped.has(key) && value !== undefined));
}

/** The 62 a request asks for, over the register's current fields; undefined when nothing would differ. */
function taxpayerUpdateFor(request: ChangeRequest, info: UserInfo): TaxpayerUpdate | undefined {
  if (request.kind !== 'basic-info' && request.kind !== 'tax-registration') return undefined;
  const update: TaxpayerUpdate = {
    taxpayerName: request.kind === 'basic-info' ? request.taxpayerName ?? info.taxpayerName : info.taxpayerName,
    officeCode: request.kind === 'tax-registration' ? request.officeCode ?? info.officeCode : info.officeCode,
    declarationMode: request.kind === 'basic-info' ? request.declarationMode ?? info.declarationMode : info.declarationMode,
  };
  const same = update.taxpayerName === info.taxpayerName && update.officeCode === info.officeCode && update.declarationMode === info.declarationMode;
  return same ? undefined : update;
}

export const statements = {
  nothing: { 'zh-CN': '未作任何更改', en: 'nothing was changed' },
  inDoubt: {
    'zh-CN': '变更命令的应答丢失且无法读回，是否已生效不明；请用 fiscalctl info 核对后再决定是否重做',
    en: 'the reply to the change was lost and could not be read back; check with fiscalctl info before running it again',
  },
} as const;

async function approvalNotes(register: ChangeRegister, request: Extract<ChangeRequest, { kind: 'invoice-approval' }>, info: UserInfo, options?: CardSessionOptions) {
  const notes: string[] = [];
  const limits = (['singleInvoiceLimit', 'cumulativeLimit', 'returnLimit'] as const).filter((field) => request[field] !== undefined);
  if (limits.length === 0) return notes;
  const card = await readSlotUserCard(register.cardChannel('user'), options);
  const record = card.found === 'user' ? card.content.controls.find((c) => c.fiscalCardNumber === info.fiscalCardNumber) : undefined;
  const fiscal = await (await openSlotCard(register, 'fiscal', options)).readFiscalMonitoring();
  for (const field of limits) {
    const approved = request[field]!;
    if (fiscal[field] === approved) notes.push(`${field} ${approved} fen is in force on the fiscal card`);
    else if (record?.controls[field] === approved) notes.push(`${field} ${approved} fen is on the user card: it takes effect with the next control update (kind monitoring-data)`);
    else notes.push(`${field} ${approved} fen is on neither card yet: the tax office writes it onto the user card, then a control update brings it to the fiscal card`);
  }
  return notes;
}

/**
 * One registration change (税控装置变更). Every kind: register initialized, and a taxpayer
 * identification number, if named, equal to the register's (a new one is deregistration plus a new
 * initialization, CHANGE_TAXPAYER_ID_CHANGE). Then by kind:
 * - basic-info, tax-registration: the register's name / declaration mode / office code through GB
 *   link 62 (in-doubt recovery by 38 in RegisterSession), read back and compared; the rest recorded;
 * - installation-info: recorded only (the register keeps no installation data);
 * - invoice-approval: recorded, with where each approved limit stands (fiscal card, user card, neither);
 * - monitoring-data: the control update through GB link 40, read back from 41 and fiscal EF01.
 */
export async function runChange(
  register: ChangeRegister, request: ChangeRequest, reporter: StageReporter, options?: CardSessionOptions,
  /** This gateway's earlier service records of the register: a register it deregistered takes no change. */
  history: readonly PastRecord[] = [],
): Promise<ChangeResult> {
  reporter.stage('check');
  const deregistered = deregistrationOf(history);
  if (deregistered !== undefined) {
    throw new GatewayError('CHANGE_REGISTER_DEREGISTERED', { params: { at: deregistered.at }, data: { ...deregistered } });
  }
  const factory = await register.factoryData();
  const status = await register.status();
  if (!status.initialized) throw new GatewayError('CHANGE_REGISTER_NOT_INITIALIZED');
  const info = await register.userInfo();
  const machineNumber = factory.machineNumber;
  const before = registerView(info, status);
  reporter.record({ action: `${CHANGE_JOB_KIND}:${request.kind}`, machineNumber, before: { register: before } });
  if ('taxpayerId' in request && request.taxpayerId !== undefined && request.taxpayerId !== info.taxpayerId) {
    throw new GatewayError('CHANGE_TAXPAYER_ID_CHANGE', { params: { current: info.taxpayerId, requested: request.taxpayerId } });
  }
  const update = taxpayerUpdateFor(request, info);
  let controlPlan: ControlUpdatePlan | undefined;
  if (request.kind === 'monitoring-data') {
    controlPlan = await planControlUpdate(register, { machineNumber, status, userInfo: info, allowLastPinTry: request.allowLastPinTry }, options);
  }
  const notes = request.kind === 'invoice-approval' ? await approvalNotes(register, request, info, options) : [];
  reporter.progress(1, 'checked');

  reporter.stage('apply');
  // Before anything is sent: what this job is about to write, so a restart can read back whether it took effect.
  reporter.checkpoint({
    phase: 'applying', kind: request.kind, machineNumber, before,
    ...(update === undefined ? {} : { update }),
    ...(controlPlan === undefined ? {} : { control: { record: controlPlan.record, fiscalBefore: controlPlan.fiscalBefore } }),
  } satisfies ChangeCheckpoint);
  let written: ChangeResult['register'] = 'record-only';
  if (update !== undefined) {
    try {
      await register.updateTaxpayer(update);
    } catch (error) {
      throw stepFailure('CHANGE_STEP_FAILED', 'update taxpayer (GB link 62)', error, isInDoubt(error) ? statements.inDoubt : statements.nothing);
    }
    written = 'gb-link-62';
  } else if (controlPlan !== undefined) {
    await writeBackControls(register, controlPlan, options);
    written = 'gb-link-40';
  } else if (request.kind === 'basic-info' || request.kind === 'tax-registration') {
    written = 'unchanged';
    notes.push('the register already holds these fields: nothing was sent to it');
  }
  reporter.progress(1, written);

  reporter.stage('verify');
  const mismatches: string[] = [];
  let after: Record<string, unknown>;
  if (controlPlan !== undefined) {
    const readBack = await readBackControls(register, options);
    mismatches.push(...controlMismatches(controlPlan.record, readBack));
    after = { register: { issueDeadline: readBack.registerDeadline, awaitingControlUpdate: readBack.awaitingControlUpdate }, fiscalCard: { monitoring: readBack.fiscal } };
  } else {
    const infoAfter = await register.userInfo();
    const statusAfter = await register.status();
    if (update !== undefined) {
      for (const field of ['taxpayerName', 'officeCode', 'declarationMode'] as const) {
        if (infoAfter[field] !== update[field]) mismatches.push(`${field}: register holds ${infoAfter[field]}, ${update[field]} was sent`);
      }
    }
    if (infoAfter.taxpayerId !== info.taxpayerId || infoAfter.fiscalCardNumber !== info.fiscalCardNumber) mismatches.push('taxpayer id or fiscal card changed');
    after = { register: registerView(infoAfter, statusAfter) };
  }
  const recorded = recordOnly(request);
  const afterRecord = { ...after, ...(Object.keys(recorded).length > 0 ? { recorded } : {}) };
  reporter.record({ after: { ...afterRecord, ...(controlPlan === undefined ? {} : { fiscalCardBefore: controlPlan.fiscalBefore }) } });
  if (mismatches.length > 0) {
    throw new GatewayError('CHANGE_READBACK_MISMATCH', { params: { fields: mismatches.join('; ') }, data: { mismatches } });
  }
  reporter.progress(1, 'verified');
  return { kind: request.kind, machineNumber, register: written, before: { register: before }, after: afterRecord, notes };
}
