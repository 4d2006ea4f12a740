import { isGatewayError } from '../../../contracts/errors/index.js';
import type { CardSessionOptions } from '../../devices/CardSession.js';
import { pinTriesLeftOrNull } from '../../../protocols/gb18240-card/pinTries.js';
import { registeredOrNull } from '../../../protocols/gb18240-card/registration.js';
import { isLinkFailure } from '../common/linkFailure.js';
import { openSlotCard } from '../common/openSlotCard.js';
import type { DeregisterRegister } from './DeregisterRegister.js';
import type { FinalCounters, FinalState } from './FinalState.js';
import { CMD } from '../../../protocols/gb-link/index.js';

async function last<T>(pages: AsyncGenerator<T[]>): Promise<T | undefined> {
  let found: T | undefined;
  for await (const page of pages) found = page.at(-1) ?? found;
  return found;
}

async function fiscalCardState(register: DeregisterRegister, options?: CardSessionOptions): Promise<FinalState['fiscalCard']> {
  try {
    const card = await openSlotCard(register, 'fiscal', options);
    const basic = await card.readFiscalBasic();
    const rolls = await card.readFiscalRolls();
    const registration = await card.readFiscalRegistration(basic);
    return {
      present: true, cardNumber: basic.cardNumber, registered: registeredOrNull(registration.state),
      pinTriesLeft: pinTriesLeftOrNull(registration.pinTries), mountedRolls: rolls.length,
    };
  } catch (error) {
    if (isLinkFailure(error) || !isGatewayError(error)) throw error;
    return { present: false, reason: `${error.code}: ${error.message}`, reasonZh: `${error.code}：${error.localized('zh-CN')}` };
  }
}

/** Reads the final state (37, 38, 41, 72 or on public firmware 41's counts, the last declaration 3E and invoice 3F, fiscal EF02/EF05), changing nothing and sending no PIN. */
export async function readFinalState(register: DeregisterRegister, now: Date, options?: CardSessionOptions): Promise<FinalState> {
  const factory = await register.factoryData();
  const status = await register.status();
  const info = await register.userInfo();
  const counters: FinalCounters = (await register.extensions()).offers(CMD.RECORD_COUNTS) ? await register.recordCounts() : {
    invoices: status.invoiceCount, dailyRecords: status.dailyRecordCount, declarations: status.declarationCount,
    distributedRolls: status.distributedRollCount, rollSummaries: null, initializations: null,
  };
  const declaration = counters.declarations === 0 ? undefined : await last(register.declarations({ from: counters.declarations, count: 1 }));
  const invoice = counters.invoices === 0 ? undefined : await last(register.invoicesByIndex({ from: counters.invoices, count: 1 }));
  return {
    readAt: now.toISOString(),
    register: { machineNumber: factory.machineNumber, model: factory.model, firmwareVersion: factory.firmwareVersion },
    taxpayer: {
      taxpayerNumber: info.taxpayerNumber, taxpayerId: info.taxpayerId, taxpayerName: info.taxpayerName, officeCode: info.officeCode,
      initializationDate: info.initializationDate,
    },
    fiscalCardNumber: info.fiscalCardNumber,
    status: {
      fiscalMode: status.fiscalMode, locks: status.locks, awaitingControlUpdate: status.awaitingControlUpdate, issueDeadline: status.issueDeadline,
      lastDeclarationEnd: status.lastDeclarationEnd, lastSignedDay: status.lastSignedDay, currentRoll: status.currentRoll,
      fiscalSlot: status.fiscalSlot, userSlot: status.userSlot,
    },
    counters,
    lastDeclaration: declaration === undefined ? null : {
      seq: declaration.seq, type: declaration.type, start: declaration.start, end: declaration.end, declaredAt: declaration.declaredAt,
      validTotal: declaration.validTotal, returnTotal: declaration.returnTotal,
    },
    lastInvoice: invoice === undefined ? null : { invoiceCode: invoice.invoiceCode, number: invoice.invoiceNumber, issuedAt: invoice.issuedAt },
    fiscalCard: await fiscalCardState(register, options),
  };
}

/**
 * The first day holding sales after the last declaration, or undefined when every day with data is
 * declared: the last signed day or the last invoice's day later than the last declaration's end.
 */
export function undeclaredSince(state: FinalState): string | undefined {
  const declaredTo = state.status.lastDeclarationEnd ?? '';
  const lastData = [state.status.lastSignedDay, state.lastInvoice?.issuedAt.slice(0, 10)].filter((d): d is string => d !== null && d !== undefined).sort().at(-1);
  if (lastData === undefined || lastData <= declaredTo) return undefined;
  if (declaredTo === '') return state.taxpayer.initializationDate;
  const next = new Date(`${declaredTo}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
