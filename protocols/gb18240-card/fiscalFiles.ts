import type { IsoDate } from './bcd.js';
import {
  declarationBlockLayout, declarationOutcomeLayout, INVOICE_CODE_BYTES, monitoringLimitsLayout, NUMBER_BYTES, readAmounts, writeAmounts,
  type DeclarationBlock, type DeclarationOutcome, type MonitoringLimits,
} from './blocks.js';
import type { Layout } from './Layout.js';

/** The elementary files of the fiscal card (税控卡). Byte offsets: SPEC.md §3. */

/** EF01 monitoring data, 23 bytes, binary: the limits and the detail mode. */
export interface FiscalMonitoringData extends MonitoringLimits {
  readonly detailMode: number;
}

export const fiscalEf01Layout: Layout<FiscalMonitoringData> = {
  name: 'FiscalEF01',
  size: monitoringLimitsLayout.size + 1,
  write(w, v) {
    monitoringLimitsLayout.write(w, v);
    w.u8(v.detailMode, 'detailMode');
  },
  read(r) {
    const limits = monitoringLimitsLayout.read(r);
    return { ...limits, detailMode: r.u8('detailMode') };
  },
};

/** EF02 basic data, 103 bytes, binary. */
export interface FiscalBasicData {
  readonly cardType: number;
  /**
   * Raw flag byte. Public code disagrees on which value means "registered", so it decides nothing
   * alone: `assessRegistration` (registration.ts) cross-checks it with what else the card says.
   */
  readonly registrationFlag: number;
  readonly cardNumber: string;
  readonly machineNumber: string;
  readonly taxpayerNumber: string;
  readonly taxpayerId: string;
  readonly applicationStart: IsoDate;
  readonly validUntil: IsoDate;
  readonly applicationType: number;
  readonly version: number;
  readonly fci: number;
  readonly taxpayerName: string;
  readonly officeCode: number;
  /** 01 = declaration by user card. */
  readonly declarationMode: number;
  readonly pinMode: number;
}

export const fiscalEf02Layout: Layout<FiscalBasicData> = {
  name: 'FiscalEF02',
  size: 103,
  write(w, v) {
    w.u8(v.cardType, 'cardType').u8(v.registrationFlag, 'registrationFlag')
      .bcd(v.cardNumber, NUMBER_BYTES, 'cardNumber').bcd(v.machineNumber, NUMBER_BYTES, 'machineNumber')
      .bcd(v.taxpayerNumber, NUMBER_BYTES, 'taxpayerNumber').ascii(v.taxpayerId, 20, 'taxpayerId')
      .date(v.applicationStart, 'applicationStart').date(v.validUntil, 'validUntil')
      .u8(v.applicationType, 'applicationType').u8(v.version, 'version').u8(v.fci, 'fci')
      .gbk(v.taxpayerName, 40, 'taxpayerName').u32(v.officeCode, 'officeCode')
      .u8(v.declarationMode, 'declarationMode').u8(v.pinMode, 'pinMode');
  },
  read(r) {
    const cardType = r.u8('cardType');
    const registrationFlag = r.u8('registrationFlag');
    return {
      cardType,
      registrationFlag,
      cardNumber: r.bcd(NUMBER_BYTES, 'cardNumber'),
      machineNumber: r.bcd(NUMBER_BYTES, 'machineNumber'),
      taxpayerNumber: r.bcd(NUMBER_BYTES, 'taxpayerNumber'),
      taxpayerId: r.ascii(20, 'taxpayerId'),
      applicationStart: r.date('applicationStart'),
      validUntil: r.date('validUntil'),
      applicationType: r.u8('applicationType'),
      version: r.u8('version'),
      fci: r.u8('fci'),
      taxpayerName: r.gbk(40, 'taxpayerName'),
      officeCode: r.u32('officeCode'),
      declarationMode: r.u8('declarationMode'),
      pinMode: r.u8('pinMode'),
    };
  },
};

/**
 * EF03 accumulation, 80 bytes, binary: what the card counts between control updates, so that it
 * can enforce the cumulative and return limits, and the last signed day and declared period.
 */
export interface FiscalAccumulation {
  readonly lastIssueDate: IsoDate | null;
  readonly validCount: number;
  readonly returnCount: number;
  readonly voidCount: number;
  readonly validTotal: number;
  readonly returnTotal: number;
  readonly validAmounts: readonly number[];
  readonly returnAmounts: readonly number[];
  readonly lastSignedDate: IsoDate | null;
  readonly lastDeclaredEnd: IsoDate | null;
}

export const fiscalEf03Layout: Layout<FiscalAccumulation> = {
  name: 'FiscalEF03',
  size: 80,
  write(w, v) {
    w.optionalDate(v.lastIssueDate, 'lastIssueDate').u32(v.validCount, 'validCount').u32(v.returnCount, 'returnCount')
      .u32(v.voidCount, 'voidCount').u32(v.validTotal, 'validTotal').u32(v.returnTotal, 'returnTotal');
    writeAmounts(w, v.validAmounts, 'validAmounts');
    writeAmounts(w, v.returnAmounts, 'returnAmounts');
    w.optionalDate(v.lastSignedDate, 'lastSignedDate').optionalDate(v.lastDeclaredEnd, 'lastDeclaredEnd');
  },
  read(r) {
    return {
      lastIssueDate: r.optionalDate('lastIssueDate'),
      validCount: r.u32('validCount'),
      returnCount: r.u32('returnCount'),
      voidCount: r.u32('voidCount'),
      validTotal: r.u32('validTotal'),
      returnTotal: r.u32('returnTotal'),
      validAmounts: readAmounts(r, 'validAmounts'),
      returnAmounts: readAmounts(r, 'returnAmounts'),
      lastSignedDate: r.optionalDate('lastSignedDate'),
      lastDeclaredEnd: r.optionalDate('lastDeclaredEnd'),
    };
  },
};

/** EF04 one record per declaration, 83 bytes: the block and what the card made of it (totals, status, MAC1). */
export interface FiscalDeclarationRecord extends DeclarationOutcome {
  readonly declaration: DeclarationBlock;
}

export const fiscalEf04RecordLayout: Layout<FiscalDeclarationRecord> = {
  name: 'FiscalEF04',
  size: declarationBlockLayout.size + declarationOutcomeLayout.size,
  write(w, v) {
    declarationBlockLayout.write(w, v.declaration);
    declarationOutcomeLayout.write(w, v);
  },
  read(r) {
    const declaration = declarationBlockLayout.read(r);
    return { declaration, ...declarationOutcomeLayout.read(r) };
  },
};

/** Fiscal EF05 roll flags (SPEC.md §3.5). */
export const ROLL_FLAG_WAITING = 0x00;
export const ROLL_FLAG_IN_USE = 0x01;
export const ROLL_FLAG_USED_UP = 0x02;

/** EF05 one record per mounted invoice roll, 19 bytes (no roll count: SPEC.md §3.5). */
export interface FiscalRollRecord {
  readonly flag: number;
  readonly invoiceCode: string;
  readonly start: number;
  readonly end: number;
}

export const fiscalEf05RecordLayout: Layout<FiscalRollRecord> = {
  name: 'FiscalEF05',
  size: 19,
  write(w, v) {
    w.u8(v.flag, 'flag').bcd(v.invoiceCode, INVOICE_CODE_BYTES, 'invoiceCode').u32(v.start, 'start').u32(v.end, 'end');
  },
  read(r) {
    return { flag: r.u8('flag'), invoiceCode: r.bcd(INVOICE_CODE_BYTES, 'invoiceCode'), start: r.u32('start'), end: r.u32('end') };
  },
};
