import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import type { ByteReader, ByteWriter } from '../fields.js';
import { command, layout, recordList } from './codec.js';
import { amountFen, bytes, digits, linkDate, linkDateTime, sixAmounts, taxIndex, u16, u32, u8 } from './schemas.js';

/* ---------- field groups shared by the record layouts ---------- */

function writeSix(w: ByteWriter, values: readonly number[], what: string, width: 'u8' | 'u32'): void {
  for (const value of values) {
    if (width === 'u8') w.u8(value, what);
    else w.u32(value, what);
  }
}

function readSix(r: ByteReader, what: string, width: 'u8' | 'u32'): number[] {
  return Array.from({ length: 6 }, () => (width === 'u8' ? r.u8(what) : r.u32(what)));
}

/**
 * The 8-byte fiscal code (税控码) as people read it: two big-endian uint32, each printed as
 * 10 decimal digits (GB18240.md).
 */
export function fiscalCodeDigits(raw: Uint8Array): string {
  const view = new DataView(raw.buffer, raw.byteOffset, 8);
  return view.getUint32(0).toString().padStart(10, '0') + view.getUint32(4).toString().padStart(10, '0');
}

const fiscalCode = digits(20).refine((d) => +d.slice(0, 10) <= 0xffffffff && +d.slice(10) <= 0xffffffff, 'two uint32 halves');

/* ---------- invoices: 3F by index, 42 by number range, 43 by time range ---------- */

export const invoiceTypes = ['normal', 'return', 'void'] as const;
export type InvoiceType = (typeof invoiceTypes)[number];

export const invoiceRecordSchema = z.object({
  /** Position in fiscal memory, 1-based, in issuing order. */
  seq: u32.min(1),
  invoiceCode: digits(20),
  invoiceNumber: u32,
  type: z.enum(invoiceTypes),
  issuedAt: linkDateTime,
  /** Amount per tax item index, in the order printed; at most six. */
  items: z.array(z.object({ taxIndex: u8.min(1), amount: amountFen })).max(6),
  total: amountFen,
  /** 20-digit fiscal code (税控码). */
  fiscalCode,
});
export type InvoiceRecord = z.infer<typeof invoiceRecordSchema>;

export const INVOICE_RECORD_SIZE = 68;

function writeInvoice(w: ByteWriter, v: InvoiceRecord): void {
  w.u32(v.seq, 'seq').bcd(v.invoiceCode, 10, 'invoice code').u32(v.invoiceNumber, 'invoice number')
    .u8(invoiceTypes.indexOf(v.type) + 1, 'invoice type').dateTime(v.issuedAt, 'issued at');
  for (let i = 0; i < 6; i++) {
    const item = v.items[i];
    w.u8(item?.taxIndex ?? 0, 'tax index').u32(item?.amount ?? 0, 'amount');
  }
  w.u32(v.total, 'total').u32(+v.fiscalCode.slice(0, 10), 'fiscal code').u32(+v.fiscalCode.slice(10), 'fiscal code');
}

function readInvoice(r: ByteReader): InvoiceRecord {
  const seq = r.u32('seq');
  const invoiceCode = r.bcd(10, 'invoice code');
  const invoiceNumber = r.u32('invoice number');
  const typeByte = r.u8('invoice type');
  const type = invoiceTypes[typeByte - 1];
  if (type === undefined) r.fail(`invoice type ${typeByte} unknown`);
  const issuedAt = r.dateTime('issued at');
  const items: InvoiceRecord['items'] = [];
  let ended = false;
  for (let i = 0; i < 6; i++) {
    const taxIndex = r.u8('tax index');
    const amount = r.u32('amount');
    if (taxIndex === 0) {
      if (amount !== 0) r.fail('an amount without a tax index');
      ended = true;
    } else {
      if (ended) r.fail('a tax item after an empty one');
      items.push({ taxIndex, amount });
    }
  }
  const total = r.u32('total');
  const code = r.raw(8, 'fiscal code');
  return { seq, invoiceCode, invoiceNumber, type, issuedAt, items, total, fiscalCode: fiscalCodeDigits(code) };
}

const invoiceList = (code: number) => recordList(code, INVOICE_RECORD_SIZE, invoiceRecordSchema, writeInvoice, readInvoice);

export const indexRangeSchema = z.object({ from: u32.min(1), count: u16.min(1) });
export type IndexRange = z.infer<typeof indexRangeSchema>;

/** The request of every by-position read (32, 3C, 3E, 3F, 73): from u32 (1-based), count u16. */
export function indexRange(code: number) {
  return layout<IndexRange>(code, indexRangeSchema, (w, v) => w.u32(v.from, 'from').u16(v.count, 'count'), (r) => ({ from: r.u32('from'), count: r.u16('count') }));
}

/** 3F invoices by fiscal-memory position: from u32 (1-based), count u16 → the records that exist in that window. */
export const invoicesByIndex = command(CMD.INVOICES_BY_INDEX, 'invoices by index', 'read', indexRange(CMD.INVOICES_BY_INDEX), invoiceList(CMD.INVOICES_BY_INDEX));

export const numberRangeSchema = z.object({ invoiceCode: digits(20), start: u32, end: u32 }).refine((v) => v.start <= v.end, 'start ≤ end');
export type NumberRange = z.infer<typeof numberRangeSchema>;

/** 42 printed invoices by number range: code 10 BCD, start u32, end u32 (inclusive). */
export const invoicesByNumber = command(CMD.INVOICES_BY_NUMBER, 'invoices by number', 'read', layout<NumberRange>(
  CMD.INVOICES_BY_NUMBER, numberRangeSchema,
  (w, v) => w.bcd(v.invoiceCode, 10, 'invoice code').u32(v.start, 'start').u32(v.end, 'end'),
  (r) => ({ invoiceCode: r.bcd(10, 'invoice code'), start: r.u32('start'), end: r.u32('end') }),
), invoiceList(CMD.INVOICES_BY_NUMBER));

export const timeRangeSchema = z.object({ from: linkDateTime, to: linkDateTime }).refine((v) => v.from <= v.to, 'from ≤ to');
export type TimeRange = z.infer<typeof timeRangeSchema>;

/** 43 printed invoices by time range: from, to as 7-byte BCD date-times (inclusive). */
export const invoicesByTime = command(CMD.INVOICES_BY_TIME, 'invoices by time', 'read', layout<TimeRange>(
  CMD.INVOICES_BY_TIME, timeRangeSchema,
  (w, v) => w.dateTime(v.from, 'from').dateTime(v.to, 'to'),
  (r) => ({ from: r.dateTime('from'), to: r.dateTime('to') }),
), invoiceList(CMD.INVOICES_BY_TIME));

/* ---------- 44 daily records by date range ---------- */

export const dailyRecordSchema = z.object({
  date: linkDate,
  validCount: u16,
  returnCount: u16,
  voidCount: u16,
  taxIndex,
  validAmounts: sixAmounts,
  returnAmounts: sixAmounts,
  /** DAILY_COLLECT_SIGN's 128-byte signature. */
  signature: bytes(128),
});
export type DailyRecord = z.infer<typeof dailyRecordSchema>;

export const DAILY_RECORD_SIZE = 192;

export const dateRangeSchema = z.object({ from: linkDate, to: linkDate }).refine((v) => v.from <= v.to, 'from ≤ to');
export type DateRange = z.infer<typeof dateRangeSchema>;

/** 44 daily transaction records by date range (inclusive): 192 bytes each, the DAILY_COLLECT_SIGN block plus its signature. */
export const dailyRecords = command(CMD.DAILY_RECORDS, 'daily records', 'read', layout<DateRange>(
  CMD.DAILY_RECORDS, dateRangeSchema,
  (w, v) => w.date(v.from, 'from').date(v.to, 'to'),
  (r) => ({ from: r.requiredDate('from'), to: r.requiredDate('to') }),
), recordList<DailyRecord>(
  CMD.DAILY_RECORDS, DAILY_RECORD_SIZE, dailyRecordSchema,
  (w, v) => {
    w.date(v.date).u16(v.validCount).u16(v.returnCount).u16(v.voidCount);
    writeSix(w, v.taxIndex, 'tax index', 'u8');
    writeSix(w, v.validAmounts, 'valid amount', 'u32');
    writeSix(w, v.returnAmounts, 'return amount', 'u32');
    w.raw(v.signature, 128, 'signature');
  },
  (r) => ({
    date: r.requiredDate('date'), validCount: r.u16(), returnCount: r.u16(), voidCount: r.u16(),
    taxIndex: readSix(r, 'tax index', 'u8'), validAmounts: readSix(r, 'valid amount', 'u32'),
    returnAmounts: readSix(r, 'return amount', 'u32'), signature: r.raw(128, 'signature'),
  }),
));

/* ---------- 3E declarations by index ---------- */

export const declarationTypes = ['normal', 'downtime', 'monthly', 'redeclaration'] as const;

export const declarationRecordSchema = z.object({
  seq: u32.min(1),
  type: z.enum(declarationTypes),
  declaredAt: linkDateTime,
  start: linkDate,
  end: linkDate,
  validCount: u32,
  returnCount: u16,
  voidCount: u16,
  taxIndex,
  validAmounts: sixAmounts,
  returnAmounts: sixAmounts,
  validTotal: amountFen,
  returnTotal: amountFen,
  /** DECLARE_DUTY's status byte. */
  status: u8,
  mac1: bytes(4),
  signature: bytes(128),
});
export type DeclarationRecord = z.infer<typeof declarationRecordSchema>;

/** seq 4, type 1, declared-at 7, then the 211 bytes user card EF04 holds (70-byte block + 141-byte DECLARE_DUTY answer). */
export const DECLARATION_RECORD_SIZE = 223;

export const declarations = command(CMD.DECLARATIONS, 'declarations', 'read', indexRange(CMD.DECLARATIONS), recordList<DeclarationRecord>(
  CMD.DECLARATIONS, DECLARATION_RECORD_SIZE, declarationRecordSchema,
  (w, v) => {
    w.u32(v.seq, 'seq').u8(declarationTypes.indexOf(v.type) + 1, 'declaration type').dateTime(v.declaredAt, 'declared at')
      .date(v.start, 'start').date(v.end, 'end').u32(v.validCount).u16(v.returnCount).u16(v.voidCount);
    writeSix(w, v.taxIndex, 'tax index', 'u8');
    writeSix(w, v.validAmounts, 'valid amount', 'u32');
    writeSix(w, v.returnAmounts, 'return amount', 'u32');
    w.u32(v.validTotal).u32(v.returnTotal).u8(v.status).raw(v.mac1, 4, 'MAC1').raw(v.signature, 128, 'signature');
  },
  (r) => {
    const seq = r.u32('seq');
    const typeByte = r.u8('declaration type');
    const type = declarationTypes[typeByte - 1];
    if (type === undefined) r.fail(`declaration type ${typeByte} unknown`);
    return {
      seq, type, declaredAt: r.dateTime('declared at'), start: r.requiredDate('start'), end: r.requiredDate('end'),
      validCount: r.u32(), returnCount: r.u16(), voidCount: r.u16(),
      taxIndex: readSix(r, 'tax index', 'u8'), validAmounts: readSix(r, 'valid amount', 'u32'), returnAmounts: readSix(r, 'return amount', 'u32'),
      validTotal: r.u32(), returnTotal: r.u32(), status: r.u8(), mac1: r.raw(4, 'MAC1'), signature: r.raw(128, 'signature'),
    };
  },
));

/* ---------- 32 distributed rolls by index ---------- */

export const rollStates = ['distributed', 'mounted', 'in-use', 'used-up'] as const;

export const rollRecordSchema = z.object({
  seq: u32.min(1),
  invoiceCode: digits(20),
  start: u32,
  end: u32,
  distributedOn: linkDate,
  state: z.enum(rollStates),
});
export type RollRecord = z.infer<typeof rollRecordSchema>;

export const ROLL_RECORD_SIZE = 27;

/** 32 distributed invoice rolls by index: 27 bytes each. */
export const distributedRolls = command(CMD.DISTRIBUTED_ROLLS, 'distributed rolls', 'read', indexRange(CMD.DISTRIBUTED_ROLLS), recordList<RollRecord>(
  CMD.DISTRIBUTED_ROLLS, ROLL_RECORD_SIZE, rollRecordSchema,
  (w, v) => w.u32(v.seq, 'seq').bcd(v.invoiceCode, 10, 'invoice code').u32(v.start).u32(v.end).date(v.distributedOn).u8(rollStates.indexOf(v.state)),
  (r) => {
    const seq = r.u32('seq');
    const invoiceCode = r.bcd(10, 'invoice code');
    const start = r.u32('start');
    const end = r.u32('end');
    const distributedOn = r.requiredDate('distributed on');
    const stateByte = r.u8('roll state');
    const state = rollStates[stateByte];
    if (state === undefined) r.fail(`roll state ${stateByte} unknown`);
    return { seq, invoiceCode, start, end, distributedOn, state };
  },
));

/* ---------- 3C roll usage summaries by index ---------- */

export const rollSummarySchema = z.object({
  seq: u32.min(1),
  invoiceCode: digits(20),
  start: u32,
  end: u32,
  validCount: u16,
  returnCount: u16,
  voidCount: u16,
  validTotal: amountFen,
  returnTotal: amountFen,
  /** The day the roll was used up or unmounted; null while it is still in use. */
  closedOn: linkDate.nullable(),
});
/** What one invoice roll was used for (发票卷使用汇总). */
export type RollSummary = z.infer<typeof rollSummarySchema>;

export const ROLL_SUMMARY_SIZE = 40;

/** 3C roll usage summaries by index: 40 bytes each. */
export const rollSummaries = command(CMD.ROLL_SUMMARIES, 'roll summaries', 'read', indexRange(CMD.ROLL_SUMMARIES), recordList<RollSummary>(
  CMD.ROLL_SUMMARIES, ROLL_SUMMARY_SIZE, rollSummarySchema,
  (w, v) => w.u32(v.seq, 'seq').bcd(v.invoiceCode, 10, 'invoice code').u32(v.start).u32(v.end).u16(v.validCount).u16(v.returnCount)
    .u16(v.voidCount).u32(v.validTotal).u32(v.returnTotal).date(v.closedOn, 'closed on'),
  (r) => ({
    seq: r.u32('seq'), invoiceCode: r.bcd(10, 'invoice code'), start: r.u32(), end: r.u32(), validCount: r.u16(), returnCount: r.u16(),
    voidCount: r.u16(), validTotal: r.u32(), returnTotal: r.u32(), closedOn: r.date('closed on'),
  }),
));
