import type { IsoDate } from './bcd.js';
import type { ByteReader } from './ByteReader.js';
import type { ByteWriter } from './ByteWriter.js';
import { invalidValue } from './fieldErrors.js';
import { readArray, type Layout } from './Layout.js';

/** Data blocks that several commands and files share. Offsets are in SPEC.md. */

export const TAX_SLOTS = 6;
export const MAC_SIZE = 4;
export const SIGNATURE_SIZE = 128;
export const PIN_SIZE = 8;
const RANDOM_SIZE = 4;

/** Card, taxpayer and machine numbers: 16 digits in 8-byte BCD. */
export const NUMBER_BYTES = 8;
/** Invoice code: 20 digits in 10-byte BCD. */
export const INVOICE_CODE_BYTES = 10;

function six(values: readonly number[], field: string): readonly number[] {
  if (values.length > TAX_SLOTS) throw invalidValue(field, `at most ${TAX_SLOTS} entries, got ${values.length}`);
  return [...values, ...Array<number>(TAX_SLOTS - values.length).fill(0)];
}

/** A tax item index as commands and files carry it: 1…6, or 0 for none. */
export function checkTaxItemIndex(value: number, field: string): void {
  if (!Number.isInteger(value) || value < 0 || value > TAX_SLOTS) throw invalidValue(field, `${value} is not a tax item index 0…${TAX_SLOTS}`);
}

/**
 * Six tax indexes (0 = slot unused), one byte each; shorter lists are padded with 0. Amounts are
 * ordered by it, so an item may stand in one slot only.
 */
export function writeTaxIndex(w: ByteWriter, values: readonly number[], field = 'taxIndex'): void {
  const slots = six(values, field);
  for (const [i, v] of slots.entries()) {
    checkTaxItemIndex(v, `${field}[${i}]`);
    if (v !== 0 && slots.indexOf(v) !== i) throw invalidValue(field, `tax item ${v} stands in two slots`);
    w.u8(v, `${field}[${i}]`);
  }
}

export function readTaxIndex(r: ByteReader, field = 'taxIndex'): number[] {
  return readArray(r, TAX_SLOTS, (i) => r.u8(`${field}[${i}]`));
}

/** Six amounts in fen, 4 bytes each, in the order of a tax index. */
export function writeAmounts(w: ByteWriter, values: readonly number[], field: string): void {
  for (const [i, v] of six(values, field).entries()) w.u32(v, `${field}[${i}]`);
}

export function readAmounts(r: ByteReader, field: string): number[] {
  return readArray(r, TAX_SLOTS, (i) => r.u32(`${field}[${i}]`));
}

/** GET_REGISTER_NB answer and REGISTER_SIGN request: 16 bytes. */
export interface RegisterChallenge {
  readonly random: Uint8Array;
  readonly fiscalCardNumber: string;
  readonly mac1: Uint8Array;
}

export const registerChallengeLayout: Layout<RegisterChallenge> = {
  name: 'RegisterChallenge',
  size: RANDOM_SIZE + NUMBER_BYTES + MAC_SIZE,
  write(w, v) {
    w.fixed(v.random, RANDOM_SIZE, 'random').bcd(v.fiscalCardNumber, NUMBER_BYTES, 'fiscalCardNumber').fixed(v.mac1, MAC_SIZE, 'mac1');
  },
  read(r) {
    return { random: r.bytesOf(RANDOM_SIZE, 'random'), fiscalCardNumber: r.bcd(NUMBER_BYTES, 'fiscalCardNumber'), mac1: r.bytesOf(MAC_SIZE, 'mac1') };
  },
};

/** One invoice roll as distributed by the user card and input into the fiscal card: 22 bytes. */
export interface InvoiceRoll {
  readonly invoiceCode: string;
  readonly start: number;
  readonly end: number;
  readonly mac: Uint8Array;
}

export const invoiceRollLayout: Layout<InvoiceRoll> = {
  name: 'InvoiceRoll',
  size: INVOICE_CODE_BYTES + 4 + 4 + MAC_SIZE,
  write(w, v) {
    w.bcd(v.invoiceCode, INVOICE_CODE_BYTES, 'invoiceCode').u32(v.start, 'start').u32(v.end, 'end').fixed(v.mac, MAC_SIZE, 'mac');
  },
  read(r) {
    return { invoiceCode: r.bcd(INVOICE_CODE_BYTES, 'invoiceCode'), start: r.u32('start'), end: r.u32('end'), mac: r.bytesOf(MAC_SIZE, 'mac') };
  },
};

/**
 * What a tax office sets for one fiscal card, 22 bytes: the issue deadline, the single-invoice,
 * cumulative and return limits in fen, and the tax index. The fiscal card's EF01 and the user
 * card's control data both start with it.
 */
export interface MonitoringLimits {
  readonly issueDeadline: IsoDate;
  readonly singleInvoiceLimit: number;
  readonly cumulativeLimit: number;
  readonly returnLimit: number;
  readonly taxIndex: readonly number[];
}

export const monitoringLimitsLayout: Layout<MonitoringLimits> = {
  name: 'MonitoringLimits',
  size: 22,
  write(w, v) {
    w.date(v.issueDeadline, 'issueDeadline').u32(v.singleInvoiceLimit, 'singleInvoiceLimit')
      .u32(v.cumulativeLimit, 'cumulativeLimit').u32(v.returnLimit, 'returnLimit');
    writeTaxIndex(w, v.taxIndex);
  },
  read(r) {
    return {
      issueDeadline: r.date('issueDeadline'),
      singleInvoiceLimit: r.u32('singleInvoiceLimit'),
      cumulativeLimit: r.u32('cumulativeLimit'),
      returnLimit: r.u32('returnLimit'),
      taxIndex: readTaxIndex(r),
    };
  },
};

/**
 * Monitoring (control) data: 24 bytes, bytes 9–32 of a user card EF01 record and the middle of
 * UPDATE_CONTROLS. Public code calls it "ciphertext"; this project keeps it in clear and protects
 * it with MAC2 (SPEC.md).
 */
export interface ControlData extends MonitoringLimits {
  /** Detail mode on the fiscal card (EF01 last byte). */
  readonly flags: number;
  readonly reserved: number;
}

export const controlDataLayout: Layout<ControlData> = {
  name: 'ControlData',
  size: monitoringLimitsLayout.size + 2,
  write(w, v) {
    monitoringLimitsLayout.write(w, v);
    w.u8(v.flags, 'flags').u8(v.reserved, 'reserved');
  },
  read(r) {
    const limits = monitoringLimitsLayout.read(r);
    return { ...limits, flags: r.u8('flags'), reserved: r.u8('reserved') };
  },
};

/** The tax index and the valid and return amounts in its order: the 54 bytes that end both sales totals. */
export interface TaxAmounts {
  /** The fiscal card's tax index: slot i of the amounts belongs to tax item `taxIndex[i]` (0 = unused). */
  readonly taxIndex: readonly number[];
  readonly validAmounts: readonly number[];
  readonly returnAmounts: readonly number[];
}

const taxAmountsLayout: Layout<TaxAmounts> = {
  name: 'TaxAmounts',
  size: TAX_SLOTS * (1 + 4 + 4),
  write(w, v) {
    writeTaxIndex(w, v.taxIndex);
    writeAmounts(w, v.validAmounts, 'validAmounts');
    writeAmounts(w, v.returnAmounts, 'returnAmounts');
  },
  read(r) {
    return { taxIndex: readTaxIndex(r), validAmounts: readAmounts(r, 'validAmounts'), returnAmounts: readAmounts(r, 'returnAmounts') };
  },
};

/**
 * What a day (DAILY_COLLECT_SIGN) or a declaration period (DECLARE_DUTY) sums up: invoices counted
 * by type, amounts per tax item. The valid count is a u16 for a day and a u32 for a period.
 */
export interface SalesTotals extends TaxAmounts {
  readonly validCount: number;
  readonly returnCount: number;
  readonly voidCount: number;
}

/** The 70-byte declaration block: DECLARE_DUTY request without XOR. */
export interface DeclarationBlock extends SalesTotals {
  readonly periodStart: IsoDate;
  readonly periodEnd: IsoDate;
}

export const declarationBlockLayout: Layout<DeclarationBlock> = {
  name: 'DeclarationBlock',
  size: 4 + 4 + 4 + 2 + 2 + taxAmountsLayout.size,
  write(w, v) {
    w.date(v.periodStart, 'periodStart').date(v.periodEnd, 'periodEnd').u32(v.validCount, 'validCount')
      .u16(v.returnCount, 'returnCount').u16(v.voidCount, 'voidCount');
    taxAmountsLayout.write(w, v);
  },
  read(r) {
    const head = {
      periodStart: r.date('periodStart'),
      periodEnd: r.date('periodEnd'),
      validCount: r.u32('validCount'),
      returnCount: r.u16('returnCount'),
      voidCount: r.u16('voidCount'),
    };
    return { ...head, ...taxAmountsLayout.read(r) };
  },
};

/** One day's totals for DAILY_COLLECT_SIGN: 64 bytes before the XOR. */
export interface DailyTotals extends SalesTotals {
  readonly date: IsoDate;
}

export const dailyTotalsLayout: Layout<DailyTotals> = {
  name: 'DailyTotals',
  size: 4 + 2 + 2 + 2 + taxAmountsLayout.size,
  write(w, v) {
    w.date(v.date, 'date').u16(v.validCount, 'validCount').u16(v.returnCount, 'returnCount').u16(v.voidCount, 'voidCount');
    taxAmountsLayout.write(w, v);
  },
  read(r) {
    const head = { date: r.date('date'), validCount: r.u16('validCount'), returnCount: r.u16('returnCount'), voidCount: r.u16('voidCount') };
    return { ...head, ...taxAmountsLayout.read(r) };
  },
};

/**
 * What the fiscal card makes of a declaration, 13 bytes: both totals, a status and MAC1.
 * DECLARE_DUTY answers it with a signature; fiscal EF04 keeps it after the block.
 */
export interface DeclarationOutcome {
  readonly validTotal: number;
  readonly returnTotal: number;
  readonly status: number;
  readonly mac1: Uint8Array;
}

export const declarationOutcomeLayout: Layout<DeclarationOutcome> = {
  name: 'DeclarationOutcome',
  size: 4 + 4 + 1 + MAC_SIZE,
  write(w, v) {
    w.u32(v.validTotal, 'validTotal').u32(v.returnTotal, 'returnTotal').u8(v.status, 'status').fixed(v.mac1, MAC_SIZE, 'mac1');
  },
  read(r) {
    return { validTotal: r.u32('validTotal'), returnTotal: r.u32('returnTotal'), status: r.u8('status'), mac1: r.bytesOf(MAC_SIZE, 'mac1') };
  },
};

/** The 141-byte DECLARE_DUTY answer without XOR. */
export interface DeclarationResult extends DeclarationOutcome {
  readonly signature: Uint8Array;
}

export const declarationResultLayout: Layout<DeclarationResult> = {
  name: 'DeclarationResult',
  size: declarationOutcomeLayout.size + SIGNATURE_SIZE,
  write(w, v) {
    declarationOutcomeLayout.write(w, v);
    w.fixed(v.signature, SIGNATURE_SIZE, 'signature');
  },
  read(r) {
    const outcome = declarationOutcomeLayout.read(r);
    return { ...outcome, signature: r.bytesOf(SIGNATURE_SIZE, 'signature') };
  },
};
