import type { InitializationData } from '../../../protocols/gb-link/index.js';
import type { FiscalCardFacts, UserCardFacts } from './InitializationFacts.js';

/** The initialization data without the PIN: what GB link 30 writes and the read-back must show. */
export type InitializationContent = Omit<InitializationData, 'pin'>;

/**
 * GB18240.md "Flows" step 7 from the cards: taxpayer, office, dates and declaration mode from the
 * fiscal card's EF02; tax index from its EF01; deadline and limits from the user card's EF01 record of
 * this fiscal card; tax items from the user card's EF03; the initialization date is today.
 */
export function initializationContent(fiscal: FiscalCardFacts, user: UserCardFacts, today: string): InitializationContent {
  const control = user.controls.find((c) => c.fiscalCardNumber === fiscal.basic.cardNumber);
  if (control === undefined) throw new RangeError('initializationContent needs the limits of this fiscal card (the checks ensure them)');
  return {
    taxpayerNumber: fiscal.basic.taxpayerNumber,
    taxpayerId: fiscal.basic.taxpayerId,
    taxpayerName: fiscal.basic.taxpayerName,
    officeCode: fiscal.basic.officeCode,
    fiscalCardNumber: fiscal.basic.cardNumber,
    userCardNumber: user.basic.cardNumber,
    declarationMode: fiscal.basic.declarationMode,
    issueDeadline: control.controls.issueDeadline,
    singleInvoiceLimit: control.controls.singleInvoiceLimit,
    cumulativeLimit: control.controls.cumulativeLimit,
    returnLimit: control.controls.returnLimit,
    taxIndex: [...fiscal.monitoring.taxIndex],
    applicationStartDate: fiscal.basic.applicationStart,
    validUntil: fiscal.basic.validUntil,
    initializationDate: today,
    taxItems: user.taxItems.map((t) => ({ index: t.index, itemCode: t.itemCode, rate: t.rate, nameZh: t.nameZh, nameEn: t.nameEn })),
  };
}
