import { GatewayError, isGatewayError } from '../../../contracts/errors/index.js';
import type { ControlLimits, RegisterStatus, UserInfo } from '../../../protocols/gb-link/index.js';
import type { FiscalMonitoringData } from '../../../protocols/gb18240-card/fiscalFiles.js';
import { DECLARATION_FLAG_PENDING, type UserControlRecord } from '../../../protocols/gb18240-card/userFiles.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import { isInDoubt } from '../common/linkFailure.js';
import { stepFailure } from '../common/stepFailure.js';
import { openSlotCard } from '../common/openSlotCard.js';
import { readSlotUserCard, userCardProblem } from '../common/readSlotUserCard.js';
import { guardRegisterPinCheck, triesLeftAfterRefusal } from '../common/registerPinGuard.js';
import type { ChangeRegister } from './ChangeRegister.js';

export interface ControlUpdatePlan {
  readonly record: UserControlRecord;
  readonly fiscalBefore: FiscalMonitoringData;
  readonly pinTriesLeft: number | undefined;
}

const statements = {
  nothing: { 'zh-CN': '未作任何更改', en: 'nothing was changed' },
  inDoubt: {
    'zh-CN': '监控数据回写的应答丢失且无法读回，是否已更新不明；请用 fiscalctl info 核对开票截止日期后再决定',
    en: 'the reply to the control write-back was lost and could not be read back; check the issue deadline with fiscalctl info before deciding',
  },
  pinRefused: {
    'zh-CN': '收款机的口令校验失败，监控数据未更新；网关不会自动重试',
    en: 'the register\'s PIN check failed and the monitoring data was not updated; the gateway does not retry it',
  },
} as const;

/**
 * The checks of the control update (GB18240.md "Flows", 监控数据更新), changing nothing: the register's
 * declared flag; this taxpayer's user card in the slot, listing this register; no declaration of this
 * fiscal card still waiting on the user card (EF04, the tax office has not taken it); an EF01 record
 * for this fiscal card; PIN tries (the last one only if allowed).
 */
export async function planControlUpdate(
  register: ChangeRegister, context: { machineNumber: string; status: RegisterStatus; userInfo: UserInfo; allowLastPinTry: boolean },
  options?: CardSessionOptions,
): Promise<ControlUpdatePlan> {
  const { status, userInfo } = context;
  if (!status.awaitingControlUpdate) throw new GatewayError('CHANGE_NOT_DECLARED');
  const card = await readSlotUserCard(register.cardChannel('user'), options);
  const problem = userCardProblem(card, {
    taxpayerNumber: userInfo.taxpayerNumber, machineNumber: context.machineNumber, fiscalCardNumber: userInfo.fiscalCardNumber,
  });
  if (problem !== undefined || card.found !== 'user') {
    throw new GatewayError('CHANGE_USER_CARD_UNUSABLE', { params: { reason: problem ?? 'no user card' }, data: { where: card.where } });
  }
  const waiting = card.content.declarations.find((d) => d.flag === DECLARATION_FLAG_PENDING && d.fiscalCardNumber === userInfo.fiscalCardNumber);
  if (waiting !== undefined) {
    throw new GatewayError('CHANGE_DECLARATION_ON_USER_CARD', {
      params: { fiscalCardNumber: userInfo.fiscalCardNumber, periodEnd: waiting.declaration.periodEnd },
      data: { periodStart: waiting.declaration.periodStart, periodEnd: waiting.declaration.periodEnd },
    });
  }
  const record = card.content.controls.find((c) => c.fiscalCardNumber === userInfo.fiscalCardNumber);
  if (record === undefined) throw new GatewayError('CHANGE_NO_CONTROL_RECORD', { params: { fiscalCardNumber: userInfo.fiscalCardNumber } });
  const fiscal = await openSlotCard(register, 'fiscal', options);
  const fiscalBefore = await fiscal.readFiscalMonitoring();
  const pinTriesLeft = await guardRegisterPinCheck(fiscal, { allowLastPinTry: context.allowLastPinTry, lastTryCode: 'CHANGE_PIN_LAST_TRY' });
  return { record, fiscalBefore, pinTriesLeft };
}

/** What the register and the fiscal card hold after a write-back, read back. */
export interface ControlReadBack {
  readonly awaitingControlUpdate: boolean;
  readonly registerDeadline: string | null;
  readonly fiscal: FiscalMonitoringData;
}

export async function readBackControls(register: ChangeRegister, options?: CardSessionOptions): Promise<ControlReadBack> {
  const status = await register.status();
  const fiscal = await (await openSlotCard(register, 'fiscal', options)).readFiscalMonitoring();
  return { awaitingControlUpdate: status.awaitingControlUpdate, registerDeadline: status.issueDeadline, fiscal };
}

/** Field by field: the fiscal card's EF01 and the register against the user card's EF01 record; the declared flag cleared. */
export function controlMismatches(record: UserControlRecord, readBack: ControlReadBack): string[] {
  const wanted = record.controls;
  const found = readBack.fiscal;
  const mismatches: string[] = [];
  if (readBack.awaitingControlUpdate) mismatches.push('register: declared flag still set');
  if (readBack.registerDeadline !== wanted.issueDeadline) mismatches.push(`register issue deadline ${readBack.registerDeadline} ≠ ${wanted.issueDeadline}`);
  if (found.issueDeadline !== wanted.issueDeadline) mismatches.push(`fiscal card issue deadline ${found.issueDeadline} ≠ ${wanted.issueDeadline}`);
  for (const field of ['singleInvoiceLimit', 'cumulativeLimit', 'returnLimit'] as const) {
    if (found[field] !== wanted[field]) mismatches.push(`fiscal card ${field} ${found[field]} ≠ ${wanted[field]}`);
  }
  if (found.taxIndex.join(',') !== wanted.taxIndex.join(',')) mismatches.push(`fiscal card tax index ${found.taxIndex.join(',')} ≠ ${wanted.taxIndex.join(',')}`);
  return mismatches;
}

/**
 * GB link 40 (SPEC.md §5.14), run by the register. RegisterSession settles a lost answer itself by reading
 * 41 and fiscal EF01 back (applied, re-sent once when surely not applied, else LINK_IN_DOUBT); what stays in
 * doubt is read back once more here so the failure says what the cards and the register now hold.
 */
export async function writeBackControls(
  register: ChangeRegister, plan: ControlUpdatePlan, options?: CardSessionOptions,
): Promise<ControlLimits | undefined> {
  const step = 'control write-back (GB link 40)';
  try {
    return await register.controlWriteBack();
  } catch (error) {
    if (isGatewayError(error, 'LINK_PIN_CHECK_FAILED')) {
      const triesLeft = await triesLeftAfterRefusal(await openSlotCard(register, 'fiscal', options));
      throw stepFailure('CHANGE_STEP_FAILED', step, error, statements.pinRefused, { triesLeft: triesLeft ?? null });
    }
    // ER 20: the register dropped the command without acting on it (public firmware without 40).
    if (isGatewayError(error, 'LINK_UNKNOWN_COMMAND')) throw new GatewayError('CHANGE_CONTROL_UPDATE_UNSUPPORTED', { cause: error });
    if (!isInDoubt(error)) throw stepFailure('CHANGE_STEP_FAILED', step, error, statements.nothing);
    const readBack = await readBackControls(register, options).catch(() => undefined);
    if (readBack !== undefined && controlMismatches(plan.record, readBack).length === 0) return undefined;
    const unchanged = readBack?.awaitingControlUpdate === true && sameMonitoring(readBack.fiscal, plan.fiscalBefore);
    throw stepFailure('CHANGE_STEP_FAILED', step, error, unchanged ? statements.nothing : statements.inDoubt,
      readBack === undefined ? {} : { declaredFlag: readBack.awaitingControlUpdate, fiscalCard: readBack.fiscal });
  }
}

function sameMonitoring(a: FiscalMonitoringData, b: FiscalMonitoringData): boolean {
  return a.issueDeadline === b.issueDeadline && a.singleInvoiceLimit === b.singleInvoiceLimit && a.cumulativeLimit === b.cumulativeLimit
    && a.returnLimit === b.returnLimit && a.taxIndex.join(',') === b.taxIndex.join(',');
}
