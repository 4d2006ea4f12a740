import type { FactoryData, RegisterStatus, TaxItem, UserInfo } from '../../../protocols/gb-link/index.js';
import type { InitializationContent } from './initializationData.js';

export interface ReadBack {
  readonly factory: FactoryData;
  readonly userInfo: UserInfo;
  readonly taxItems: readonly TaxItem[];
  readonly status: RegisterStatus;
}

export interface FieldComparison {
  /** `<command>.<field>`, e.g. `38.taxpayerName`. */
  readonly field: string;
  readonly expected: string;
  readonly actual: string;
  readonly matches: boolean;
}

const same = (field: string, expected: unknown, actual: unknown): FieldComparison => {
  const e = typeof expected === 'string' ? expected : JSON.stringify(expected);
  const a = typeof actual === 'string' ? actual : JSON.stringify(actual);
  return { field, expected: e, actual: a, matches: e === a };
};

/** A tax item as a person reads it: code, names and rate (units of 0.01 %). */
const describeTaxItem = (item: TaxItem | undefined): string =>
  item === undefined ? '(none)' : `${item.itemCode} ${item.nameZh} / ${item.nameEn} ${(item.rate / 100).toFixed(2)}%`;

/** One comparison per tax index, so a mismatch names the item and the table stays readable. */
function compareTaxItems(written: readonly TaxItem[], back: readonly TaxItem[]): FieldComparison[] {
  const indexes = [...new Set([...written, ...back].map((item) => item.index))].sort((a, b) => a - b);
  return [
    same('39.taxItemCount', written.length, back.length),
    ...indexes.map((index) => same(`39.taxItem[${index}]`,
      describeTaxItem(written.find((item) => item.index === index)), describeTaxItem(back.find((item) => item.index === index)))),
  ];
}

/**
 * Every field the register reads back (37, 38, 39, 41) against what the cards said, one comparison
 * per field so that the service record shows the whole table and a mismatch names its field.
 */
export function verifyReadBack(machineNumber: string, written: InitializationContent, back: ReadBack): FieldComparison[] {
  return [
    same('37.machineNumber', machineNumber, back.factory.machineNumber),
    same('38.taxpayerNumber', written.taxpayerNumber, back.userInfo.taxpayerNumber),
    same('38.taxpayerId', written.taxpayerId, back.userInfo.taxpayerId),
    same('38.taxpayerName', written.taxpayerName, back.userInfo.taxpayerName),
    same('38.officeCode', written.officeCode, back.userInfo.officeCode),
    same('38.fiscalCardNumber', written.fiscalCardNumber, back.userInfo.fiscalCardNumber),
    same('38.declarationMode', written.declarationMode, back.userInfo.declarationMode),
    same('38.applicationStartDate', written.applicationStartDate, back.userInfo.applicationStartDate),
    same('38.validUntil', written.validUntil, back.userInfo.validUntil),
    same('38.initializationDate', written.initializationDate, back.userInfo.initializationDate),
    ...compareTaxItems(written.taxItems, back.taxItems),
    same('41.initialized', true, back.status.initialized),
    same('41.fiscalMode', true, back.status.fiscalMode),
    same('41.issueDeadline', written.issueDeadline, back.status.issueDeadline),
  ];
}
