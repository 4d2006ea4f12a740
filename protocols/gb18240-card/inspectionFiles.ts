import type { IsoDate } from './bcd.js';
import { NUMBER_BYTES } from './blocks.js';
import type { Layout } from './Layout.js';

/** EF02 of the inspection / management card (稽查卡, CHECK01), 37 bytes: enough to recognize it. */
export interface InspectionBasicData {
  readonly cardType: number;
  readonly cardNumber: string;
  readonly officeCode: number;
  readonly validUntil: IsoDate;
  readonly holderName: string;
}

export const inspectionEf02Layout: Layout<InspectionBasicData> = {
  name: 'InspectionEF02',
  size: 37,
  write(w, v) {
    w.u8(v.cardType, 'cardType').bcd(v.cardNumber, NUMBER_BYTES, 'cardNumber').u32(v.officeCode, 'officeCode')
      .date(v.validUntil, 'validUntil').gbk(v.holderName, 20, 'holderName');
  },
  read(r) {
    return {
      cardType: r.u8('cardType'),
      cardNumber: r.bcd(NUMBER_BYTES, 'cardNumber'),
      officeCode: r.u32('officeCode'),
      validUntil: r.date('validUntil'),
      holderName: r.gbk(20, 'holderName'),
    };
  },
};
