import type { IsoDate } from './bcd.js';
import {
  controlDataLayout, declarationBlockLayout, declarationResultLayout, INVOICE_CODE_BYTES, invoiceRollLayout, MAC_SIZE, NUMBER_BYTES,
  type ControlData, type DeclarationBlock, type DeclarationResult, type InvoiceRoll,
} from './blocks.js';
import { ByteReader } from './ByteReader.js';
import type { Layout } from './Layout.js';

/** The elementary files of the user card (用户卡). Byte offsets: SPEC.md §4. */

/** EF01 one 37-byte record per machine (fiscal card): its control data and MAC2. */
export interface UserControlRecord {
  readonly fiscalCardNumber: string;
  readonly keyId: number;
  readonly controls: ControlData;
  readonly mac2: Uint8Array;
}

export const userEf01RecordLayout: Layout<UserControlRecord> = {
  name: 'UserEF01',
  size: NUMBER_BYTES + 1 + controlDataLayout.size + MAC_SIZE,
  write(w, v) {
    w.bcd(v.fiscalCardNumber, NUMBER_BYTES, 'fiscalCardNumber').u8(v.keyId, 'keyId');
    controlDataLayout.write(w, v.controls);
    w.fixed(v.mac2, MAC_SIZE, 'mac2');
  },
  read(r) {
    return {
      fiscalCardNumber: r.bcd(NUMBER_BYTES, 'fiscalCardNumber'),
      keyId: r.u8('keyId'),
      controls: controlDataLayout.read(r),
      mac2: r.bytesOf(MAC_SIZE, 'mac2'),
    };
  },
};

/** EF02 basic data, 89 bytes, binary (the layout this project pins: SPEC.md §4.2). */
export interface UserBasicData {
  readonly cardType: number;
  readonly cardNumber: string;
  readonly taxpayerNumber: string;
  readonly taxpayerId: string;
  readonly applicationStart: IsoDate;
  readonly validUntil: IsoDate;
  readonly taxpayerName: string;
  readonly officeCode: number;
}

export const userEf02Layout: Layout<UserBasicData> = {
  name: 'UserEF02',
  size: 89,
  write(w, v) {
    w.u8(v.cardType, 'cardType').bcd(v.cardNumber, NUMBER_BYTES, 'cardNumber').bcd(v.taxpayerNumber, NUMBER_BYTES, 'taxpayerNumber')
      .ascii(v.taxpayerId, 20, 'taxpayerId').date(v.applicationStart, 'applicationStart').date(v.validUntil, 'validUntil')
      .gbk(v.taxpayerName, 40, 'taxpayerName').u32(v.officeCode, 'officeCode');
  },
  read(r) {
    return {
      cardType: r.u8('cardType'),
      cardNumber: r.bcd(NUMBER_BYTES, 'cardNumber'),
      taxpayerNumber: r.bcd(NUMBER_BYTES, 'taxpayerNumber'),
      taxpayerId: r.ascii(20, 'taxpayerId'),
      applicationStart: r.date('applicationStart'),
      validUntil: r.date('validUntil'),
      taxpayerName: r.gbk(40, 'taxpayerName'),
      officeCode: r.u32('officeCode'),
    };
  },
};

/** EF03 one 47-byte record per tax item, up to 6. */
export interface TaxItem {
  /** 1…6, what a tax index refers to. */
  readonly index: number;
  /** 8 digits. */
  readonly itemCode: string;
  /** Rate in units of 0.01 %. */
  readonly rate: number;
  readonly nameZh: string;
  readonly nameEn: string;
}

export const userEf03RecordLayout: Layout<TaxItem> = {
  name: 'UserEF03',
  size: 47,
  write(w, v) {
    w.u8(v.index, 'index').bcd(v.itemCode, 4, 'itemCode').u16(v.rate, 'rate').gbk(v.nameZh, 20, 'nameZh').ascii(v.nameEn, 20, 'nameEn');
  },
  read(r) {
    return { index: r.u8('index'), itemCode: r.bcd(4, 'itemCode'), rate: r.u16('rate'), nameZh: r.gbk(20, 'nameZh'), nameEn: r.ascii(20, 'nameEn') };
  },
};

/** User EF04 flag: 01 while a declaration waits for the tax office, 00 once it has been taken. */
export const DECLARATION_FLAG_PENDING = 0x01;
export const DECLARATION_FLAG_DONE = 0x00;

/** EF04 one 220-byte record per declaration collected with DATA_COLLECT, up to 10. */
export interface UserDeclarationRecord {
  readonly flag: number;
  readonly fiscalCardNumber: string;
  readonly declaration: DeclarationBlock;
  readonly result: DeclarationResult;
}

export const userEf04RecordLayout: Layout<UserDeclarationRecord> = {
  name: 'UserEF04',
  size: 1 + NUMBER_BYTES + declarationBlockLayout.size + declarationResultLayout.size,
  write(w, v) {
    w.u8(v.flag, 'flag').bcd(v.fiscalCardNumber, NUMBER_BYTES, 'fiscalCardNumber');
    declarationBlockLayout.write(w, v.declaration);
    declarationResultLayout.write(w, v.result);
  },
  read(r) {
    return {
      flag: r.u8('flag'),
      fiscalCardNumber: r.bcd(NUMBER_BYTES, 'fiscalCardNumber'),
      declaration: declarationBlockLayout.read(r),
      result: declarationResultLayout.read(r),
    };
  },
};

/** EF05 one 20-byte record per purchased batch of rolls, up to 10. */
export interface PurchasedRolls {
  readonly invoiceCode: string;
  /** First invoice number not yet distributed. */
  readonly start: number;
  readonly end: number;
  /** Rolls left in the batch; each DISTRIBUTE_INVOICE_NB hands out (end - start + 1) / rollCount numbers. */
  readonly rollCount: number;
}

export const userEf05RecordLayout: Layout<PurchasedRolls> = {
  name: 'UserEF05',
  size: 20,
  write(w, v) {
    w.bcd(v.invoiceCode, INVOICE_CODE_BYTES, 'invoiceCode').u32(v.start, 'start').u32(v.end, 'end').u16(v.rollCount, 'rollCount');
  },
  read(r) {
    return { invoiceCode: r.bcd(INVOICE_CODE_BYTES, 'invoiceCode'), start: r.u32('start'), end: r.u32('end'), rollCount: r.u16('rollCount') };
  },
};

/** EF06 one 18-byte record per machine the taxpayer registered. */
export interface UserMachineRecord {
  readonly machineNumber: string;
  readonly fiscalCardNumber: string;
  readonly tag: number;
}

export const userEf06RecordLayout: Layout<UserMachineRecord> = {
  name: 'UserEF06',
  size: 18,
  write(w, v) {
    w.bcd(v.machineNumber, NUMBER_BYTES, 'machineNumber').bcd(v.fiscalCardNumber, NUMBER_BYTES, 'fiscalCardNumber').u16(v.tag, 'tag');
  },
  read(r) {
    return { machineNumber: r.bcd(NUMBER_BYTES, 'machineNumber'), fiscalCardNumber: r.bcd(NUMBER_BYTES, 'fiscalCardNumber'), tag: r.u16('tag') };
  },
};

/** EF07 the last distributed roll, 22 bytes, binary; all zero before the first distribution. */
export const userEf07Layout: Layout<InvoiceRoll | null> = {
  name: 'UserEF07',
  size: invoiceRollLayout.size,
  write(w, v) {
    if (v === null) w.raw(new Uint8Array(invoiceRollLayout.size));
    else invoiceRollLayout.write(w, v);
  },
  read(r) {
    const bytes = r.bytesOf(invoiceRollLayout.size, 'roll');
    if (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff)) return null;
    return invoiceRollLayout.read(new ByteReader(bytes, 'UserEF07'));
  },
};
