import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import { command, recordList } from './codec.js';
import { indexRange } from './records.js';
import { amountFen, ascii, digits, linkDate, linkDateTime, taxIndex, text, u32, u8 } from './schemas.js';
import { readTaxItem, taxItemSchema, TAX_ITEM_SIZE, writeTaxItem } from './taxpayer.js';

/** What wrote an initialization-history record: 01 the initialization (30), 02 a registration change (62). */
export const initializationKinds = ['initialize', 'registration-change'] as const;
export type InitializationKind = (typeof initializationKinds)[number];

export const initializationRecordSchema = z.object({
  /** Position in the history, 1-based; 1 is the initialization. */
  seq: u32.min(1),
  kind: z.enum(initializationKinds),
  recordedAt: linkDateTime,
  machineNumber: digits(16),
  fiscalCardNumber: digits(16),
  taxpayerNumber: digits(16),
  taxpayerId: ascii(20),
  taxpayerName: text,
  officeCode: u32,
  declarationMode: u8,
  applicationStartDate: linkDate,
  validUntil: linkDate,
  /** The monitoring data the record was written with (later control updates do not write history). */
  issueDeadline: linkDate,
  singleInvoiceLimit: amountFen,
  cumulativeLimit: amountFen,
  returnLimit: amountFen,
  taxIndex,
  taxItems: z.array(taxItemSchema).min(1).max(6),
});
/** One record of the register's initialization history (初始化/变更记录), as GB link 73 answers it. */
export type InitializationRecord = z.infer<typeof initializationRecordSchema>;

/** 132 bytes of fields, then six 47-byte tax item slots (used first, unused all zero). */
export const INITIALIZATION_RECORD_SIZE = 132 + 6 * TAX_ITEM_SIZE;

/**
 * 73 initialization history by position (project, SPEC.md §5.9): from u32, count u16 → the records in
 * `[from, from + count)`, 414 bytes each. 72 counts them (`initializations`).
 */
export const initializationHistory = command(CMD.INITIALIZATION_HISTORY, 'initialization history', 'read', indexRange(CMD.INITIALIZATION_HISTORY),
  recordList<InitializationRecord>(
    CMD.INITIALIZATION_HISTORY, INITIALIZATION_RECORD_SIZE, initializationRecordSchema,
    (w, v) => {
      w.u32(v.seq, 'seq').u8(initializationKinds.indexOf(v.kind) + 1, 'record kind').dateTime(v.recordedAt, 'recorded at')
        .bcd(v.machineNumber, 8, 'machine number').bcd(v.fiscalCardNumber, 8, 'fiscal card number').bcd(v.taxpayerNumber, 8, 'taxpayer number')
        .ascii(v.taxpayerId, 20, 'taxpayer id').gbk(v.taxpayerName, 40, 'taxpayer name').u32(v.officeCode, 'office code')
        .u8(v.declarationMode, 'declaration mode').date(v.applicationStartDate, 'application start date').date(v.validUntil, 'valid until')
        .date(v.issueDeadline, 'issue deadline').u32(v.singleInvoiceLimit, 'single-invoice limit').u32(v.cumulativeLimit, 'cumulative limit')
        .u32(v.returnLimit, 'return limit');
      for (const index of v.taxIndex) w.u8(index, 'tax index');
      w.u8(v.taxItems.length, 'tax item count');
      for (const item of v.taxItems) writeTaxItem(w, item);
      w.raw(new Uint8Array((6 - v.taxItems.length) * TAX_ITEM_SIZE));
    },
    (r) => {
      const seq = r.u32('seq');
      const kindByte = r.u8('record kind');
      const kind = initializationKinds[kindByte - 1];
      if (kind === undefined) r.fail(`initialization record kind ${kindByte} unknown`);
      const fields = {
        seq, kind,
        recordedAt: r.dateTime('recorded at'),
        machineNumber: r.bcd(8, 'machine number'),
        fiscalCardNumber: r.bcd(8, 'fiscal card number'),
        taxpayerNumber: r.bcd(8, 'taxpayer number'),
        taxpayerId: r.ascii(20, 'taxpayer id'),
        taxpayerName: r.gbk(40, 'taxpayer name'),
        officeCode: r.u32('office code'),
        declarationMode: r.u8('declaration mode'),
        applicationStartDate: r.requiredDate('application start date'),
        validUntil: r.requiredDate('valid until'),
        issueDeadline: r.requiredDate('issue deadline'),
        singleInvoiceLimit: r.u32('single-invoice limit'),
        cumulativeLimit: r.u32('cumulative limit'),
        returnLimit: r.u32('return limit'),
        taxIndex: Array.from({ length: 6 }, () => r.u8('tax index')),
      };
      const count = r.u8('tax item count');
      if (count < 1 || count > 6) r.fail(`${count} tax items, 1 to 6 expected`);
      const taxItems = Array.from({ length: count }, () => readTaxItem(r));
      if (r.raw((6 - count) * TAX_ITEM_SIZE, 'unused tax item slots').some((b) => b !== 0)) r.fail('an unused tax item slot is not zero');
      return { ...fields, taxItems };
    },
  ));
