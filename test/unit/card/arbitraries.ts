import fc from 'fast-check';
import iconv from 'iconv-lite';
import type {
  ControlData, DailyTotals, DeclarationBlock, DeclarationResult, InvoiceRoll, RegisterChallenge,
} from '../../../protocols/gb18240-card/blocks.js';
import type { IssueInvoiceRequest } from '../../../protocols/gb18240-card/fiscalCommands.js';

/** fast-check arbitraries for every GB18240.2 field and block, shared by the codec property tests. */

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
export const digits = (n: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
export const isoDate = fc
  .date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const optionalDate = fc.option(isoDate, { nil: null });
export const ascii = (max: number) =>
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
export const gbk = (maxBytes: number) =>
  fc.array(fc.constantFrom(...'深圳市示例商贸有限公司餐饮服务税控收款机', 'A', 'z', '0', ' ', '-', '（', '）'), { maxLength: maxBytes })
    .map((chars) => chars.join(''))
    .filter((text) => iconv.encode(text, 'gbk').length <= maxBytes);
export const six = (item: fc.Arbitrary<number>) => fc.array(item, { minLength: 6, maxLength: 6 });
/** A tax index as the card holds it: items 1…6 each in one slot at most, 0 in the unused ones. */
export const taxIndex = fc.shuffledSubarray([1, 2, 3, 4, 5, 6]).chain((items) =>
  fc.shuffledSubarray([...items, 0, 0, 0, 0, 0, 0], { minLength: 6, maxLength: 6 }));
export const amounts = six(u32);

export const registerChallenge: fc.Arbitrary<RegisterChallenge> = fc.record({ random: bytes(4), fiscalCardNumber: digits(16), mac1: bytes(4) });
export const invoiceRoll: fc.Arbitrary<InvoiceRoll> = fc.record({ invoiceCode: digits(20), start: u32, end: u32, mac: bytes(4) });
export const controlData: fc.Arbitrary<ControlData> = fc.record({
  issueDeadline: isoDate, singleInvoiceLimit: u32, cumulativeLimit: u32, returnLimit: u32, taxIndex, flags: u8, reserved: u8,
});
export const declarationBlock: fc.Arbitrary<DeclarationBlock> = fc.record({
  periodStart: isoDate, periodEnd: isoDate, validCount: u32, returnCount: u16, voidCount: u16, taxIndex, validAmounts: amounts, returnAmounts: amounts,
});
export const declarationResult: fc.Arbitrary<DeclarationResult> = fc.record({
  validTotal: u32, returnTotal: u32, status: u8, mac1: bytes(4), signature: bytes(128),
});
export const dailyTotals: fc.Arbitrary<DailyTotals> = fc.record({
  date: isoDate, validCount: u16, returnCount: u16, voidCount: u16, taxIndex, validAmounts: amounts, returnAmounts: amounts,
});
export const issueInvoiceRequest: fc.Arbitrary<IssueInvoiceRequest> = fc.record({
  date: isoDate,
  type: fc.constantFrom('normal', 'return', 'void'),
  invoiceNumber: u32,
  lines: fc.array(fc.record({ taxIndex: fc.integer({ min: 0, max: 6 }), amount: u32 }), { minLength: 6, maxLength: 6 }),
  total: u32,
});
