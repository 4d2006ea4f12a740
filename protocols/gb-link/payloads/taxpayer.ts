import { z } from 'zod';
import { CMD } from '../commandCodes.js';
import type { ByteReader, ByteWriter } from '../fields.js';
import { command, emptyPayload, layout } from './codec.js';
import { amountFen, ascii, bytes, digits, linkDate, taxIndex, text, u16, u32, u8 } from './schemas.js';

export const taxItemSchema = z.object({
  /** Index 1–6 used by the fiscal card's tax index and by invoices. */
  index: u8.min(1),
  /** 8-digit item code (税目代码). */
  itemCode: digits(8),
  /** Rate in units of 0.01 % (1700 = 17 %). */
  rate: u16,
  nameZh: text,
  nameEn: ascii(20),
});
export type TaxItem = z.infer<typeof taxItemSchema>;

/** 47 bytes, the user card's EF03 record: index 1, code 4 BCD, rate 2, Chinese name 20 GBK, English name 20. */
export const TAX_ITEM_SIZE = 47;

export function writeTaxItem(w: ByteWriter, item: TaxItem): void {
  w.u8(item.index, 'tax item index').bcd(item.itemCode, 4, 'item code').u16(item.rate, 'rate')
    .gbk(item.nameZh, 20, 'tax item name').ascii(item.nameEn, 20, 'tax item English name');
}

export function readTaxItem(r: ByteReader): TaxItem {
  return {
    index: r.u8('tax item index'), itemCode: r.bcd(4, 'item code'), rate: r.u16('rate'),
    nameZh: r.gbk(20, 'tax item name'), nameEn: r.ascii(20, 'tax item English name'),
  };
}

const taxItemList = z.array(taxItemSchema).max(6);

function writeTaxItems(w: ByteWriter, items: readonly TaxItem[]): void {
  w.u8(items.length, 'tax item count');
  for (const item of items) writeTaxItem(w, item);
}

function readTaxItems(r: ByteReader): TaxItem[] {
  const count = r.u8('tax item count');
  if (count > 6) r.fail(`${count} tax items, at most 6`);
  return Array.from({ length: count }, () => readTaxItem(r));
}

/** 39 tax items: count 1, then count × 47 (SPEC.md §5.4). */
export const taxItems = command(CMD.TAX_ITEMS, 'tax items', 'read', emptyPayload(CMD.TAX_ITEMS), layout<TaxItem[]>(
  CMD.TAX_ITEMS, taxItemList, writeTaxItems, readTaxItems,
));

export const userInfoSchema = z.object({
  /** 16-digit taxpayer number (8-byte BCD, as on the cards). */
  taxpayerNumber: digits(16),
  /** Taxpayer identification number (纳税人识别号), up to 20 ASCII characters. */
  taxpayerId: ascii(20),
  taxpayerName: text,
  officeCode: u32,
  fiscalCardNumber: digits(16),
  /** 01 = declaration by user card (fiscal card EF02). */
  declarationMode: u8,
  initializationDate: linkDate,
  applicationStartDate: linkDate,
  validUntil: linkDate,
});
export type UserInfo = z.infer<typeof userInfoSchema>;

/** 38 user info, 93 bytes (SPEC.md §5.3). ER 10 when the register is not initialized. */
export const userInfo = command(CMD.USER_INFO, 'user info', 'read', emptyPayload(CMD.USER_INFO), layout<UserInfo>(
  CMD.USER_INFO, userInfoSchema,
  (w, v) => w.bcd(v.taxpayerNumber, 8, 'taxpayer number').ascii(v.taxpayerId, 20, 'taxpayer id').gbk(v.taxpayerName, 40, 'taxpayer name')
    .u32(v.officeCode, 'office code').bcd(v.fiscalCardNumber, 8, 'fiscal card number').u8(v.declarationMode, 'declaration mode')
    .date(v.initializationDate, 'initialization date').date(v.applicationStartDate, 'application start date').date(v.validUntil, 'valid until'),
  (r) => ({
    taxpayerNumber: r.bcd(8, 'taxpayer number'),
    taxpayerId: r.ascii(20, 'taxpayer id'),
    taxpayerName: r.gbk(40, 'taxpayer name'),
    officeCode: r.u32('office code'),
    fiscalCardNumber: r.bcd(8, 'fiscal card number'),
    declarationMode: r.u8('declaration mode'),
    initializationDate: r.requiredDate('initialization date'),
    applicationStartDate: r.requiredDate('application start date'),
    validUntil: r.requiredDate('valid until'),
  }),
));

export const initializationDataSchema = z.object({
  /** The fiscal PIN from TERMINAL_REGISTER; stored as current and original PIN. Never logged. */
  pin: bytes(8),
  taxpayerNumber: digits(16),
  taxpayerId: ascii(20),
  taxpayerName: text,
  officeCode: u32,
  fiscalCardNumber: digits(16),
  userCardNumber: digits(16),
  declarationMode: u8,
  issueDeadline: linkDate,
  singleInvoiceLimit: amountFen,
  cumulativeLimit: amountFen,
  returnLimit: amountFen,
  taxIndex,
  applicationStartDate: linkDate,
  validUntil: linkDate,
  initializationDate: linkDate,
  taxItems: z.array(taxItemSchema).min(1).max(6),
});
export type InitializationData = z.infer<typeof initializationDataSchema>;

/** 30 initialize: 132 + 47 × items bytes, two packets with six items (SPEC.md §5.10). */
export const initialize = command(CMD.INITIALIZE, 'initialize', 'write', layout<InitializationData>(
  CMD.INITIALIZE, initializationDataSchema,
  (w, v) => {
    w.raw(v.pin, 8, 'PIN').bcd(v.taxpayerNumber, 8, 'taxpayer number').ascii(v.taxpayerId, 20, 'taxpayer id')
      .gbk(v.taxpayerName, 40, 'taxpayer name').u32(v.officeCode, 'office code').bcd(v.fiscalCardNumber, 8, 'fiscal card number')
      .bcd(v.userCardNumber, 8, 'user card number').u8(v.declarationMode, 'declaration mode').date(v.issueDeadline, 'issue deadline')
      .u32(v.singleInvoiceLimit, 'single-invoice limit').u32(v.cumulativeLimit, 'cumulative limit').u32(v.returnLimit, 'return limit');
    for (const index of v.taxIndex) w.u8(index, 'tax index');
    w.date(v.applicationStartDate, 'application start date').date(v.validUntil, 'valid until').date(v.initializationDate, 'initialization date');
    writeTaxItems(w, v.taxItems);
  },
  (r) => {
    const value = {
      pin: r.raw(8, 'PIN'),
      taxpayerNumber: r.bcd(8, 'taxpayer number'),
      taxpayerId: r.ascii(20, 'taxpayer id'),
      taxpayerName: r.gbk(40, 'taxpayer name'),
      officeCode: r.u32('office code'),
      fiscalCardNumber: r.bcd(8, 'fiscal card number'),
      userCardNumber: r.bcd(8, 'user card number'),
      declarationMode: r.u8('declaration mode'),
      issueDeadline: r.requiredDate('issue deadline'),
      singleInvoiceLimit: r.u32('single-invoice limit'),
      cumulativeLimit: r.u32('cumulative limit'),
      returnLimit: r.u32('return limit'),
      taxIndex: Array.from({ length: 6 }, () => r.u8('tax index')),
      applicationStartDate: r.requiredDate('application start date'),
      validUntil: r.requiredDate('valid until'),
      initializationDate: r.requiredDate('initialization date'),
      taxItems: readTaxItems(r),
    };
    if (value.taxItems.length === 0) r.fail('initialization data without tax items');
    return value;
  },
), emptyPayload(CMD.INITIALIZE));

export const taxpayerUpdateSchema = z.object({
  taxpayerName: text,
  officeCode: u32,
  declarationMode: u8,
});
export type TaxpayerUpdate = z.infer<typeof taxpayerUpdateSchema>;

/**
 * 62 update taxpayer, 45 bytes (SPEC.md §5.11): the registration-change fields the register
 * keeps. A new taxpayer id is a deregistration plus a new initialization, never a 62.
 */
export const updateTaxpayer = command(CMD.UPDATE_TAXPAYER, 'update taxpayer', 'write', layout<TaxpayerUpdate>(
  CMD.UPDATE_TAXPAYER, taxpayerUpdateSchema,
  (w, v) => w.gbk(v.taxpayerName, 40, 'taxpayer name').u32(v.officeCode, 'office code').u8(v.declarationMode, 'declaration mode'),
  (r) => ({ taxpayerName: r.gbk(40, 'taxpayer name'), officeCode: r.u32('office code'), declarationMode: r.u8('declaration mode') }),
), emptyPayload(CMD.UPDATE_TAXPAYER));
