import fc from 'fast-check';
import type {
  Capabilities, ControlLimits, DailyRecord, InitializationRecord, DeclarationRecord, FactoryData, InitializationData, InvoiceRecord, RecordCounts,
  RegisterStatus, RollRecord, TaxItem, UserInfo,
} from '../../../protocols/gb-link/index.js';
import { declarationTypes, initializationKinds, invoiceTypes, rollStates, slotStates, firmwareStates } from '../../../protocols/gb-link/index.js';

/** fast-check arbitraries for every GB-link payload value; shared by the codec tests and the session tests. */
export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const dayMs = 86_400_000;
const base = Date.UTC(2000, 0, 1);
export const date = fc.integer({ min: 0, max: 36_000 }).map((d) => new Date(base + d * dayMs).toISOString().slice(0, 10));
export const dateTime = fc.tuple(date, fc.integer({ min: 0, max: 86_399 }))
  .map(([d, s]) => `${d}T${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`);
export const ascii = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const hanzi = '税控收款机纳税人名称北京上海广州餐饮服务零售商品有限公司发票用户卡';
/** Text that fits `bytes` bytes of GBK: ASCII letters are 1 byte, these Chinese characters 2. */
export const gbk = (bytes: number) => fc.array(fc.oneof(fc.constantFrom(...hanzi), fc.constantFrom(...'ABCxyz019 -()')), { maxLength: bytes })
  .map((chars) => {
    let out = '';
    let used = 0;
    for (const c of chars) {
      const size = c.charCodeAt(0) > 0x7f ? 2 : 1;
      if (used + size > bytes) break;
      out += c;
      used += size;
    }
    return out;
  });
export const bytes = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map((b) => Uint8Array.from(b));
export const version = fc.tuple(u8, u8, u8).map((v) => v.join('.'));
export const six = <T>(arb: fc.Arbitrary<T>) => fc.array(arb, { minLength: 6, maxLength: 6 });

export const factoryData: fc.Arbitrary<FactoryData> = fc.record({
  machineNumber: digits(16), model: gbk(20), hardwareRevision: ascii(8), firmwareVersion: version, bootloaderVersion: version,
  productionDate: fc.option(date, { nil: null }),
});
export const taxItem: fc.Arbitrary<TaxItem> = fc.record({
  index: fc.integer({ min: 1, max: 6 }), itemCode: digits(8), rate: u16, nameZh: gbk(20), nameEn: ascii(20),
});
export const userInfo: fc.Arbitrary<UserInfo> = fc.record({
  taxpayerNumber: digits(16), taxpayerId: ascii(20), taxpayerName: gbk(40), officeCode: u32, fiscalCardNumber: digits(16),
  declarationMode: u8, initializationDate: date, applicationStartDate: date, validUntil: date,
});
export const initializationData: fc.Arbitrary<InitializationData> = fc.record({
  pin: bytes(8), taxpayerNumber: digits(16), taxpayerId: ascii(20), taxpayerName: gbk(40), officeCode: u32,
  fiscalCardNumber: digits(16), userCardNumber: digits(16), declarationMode: u8, issueDeadline: date,
  singleInvoiceLimit: u32, cumulativeLimit: u32, returnLimit: u32, taxIndex: six(u8),
  applicationStartDate: date, validUntil: date, initializationDate: date,
  taxItems: fc.array(taxItem, { minLength: 1, maxLength: 6 }),
});
export const status: fc.Arbitrary<RegisterStatus> = fc.record({
  initialized: fc.boolean(), fiscalMode: fc.boolean(),
  locks: fc.record({ deadlinePassed: fc.boolean(), fiveYear: fc.boolean(), fiscalCard: fc.boolean(), userCard: fc.boolean(), fiscalMemoryFault: fc.boolean() }),
  awaitingControlUpdate: fc.boolean(), firmwareTransfer: fc.boolean(),
  issueDeadline: fc.option(date, { nil: null }),
  invoiceCount: u32, dailyRecordCount: u32, declarationCount: u32, distributedRollCount: u32,
  currentRoll: fc.option(fc.record({ invoiceCode: digits(20), nextNumber: fc.integer({ min: 1, max: 0xffffffff }), endNumber: u32 }), { nil: null }),
  fiscalSlot: fc.constantFrom(...slotStates), userSlot: fc.constantFrom(...slotStates),
  lastDeclarationEnd: fc.option(date, { nil: null }), lastSignedDay: fc.option(date, { nil: null }),
});
export const fiscalCode = fc.tuple(u32, u32).map(([a, b]) => `${pad(a, 10)}${pad(b, 10)}`);
export const invoice: fc.Arbitrary<InvoiceRecord> = fc.record({
  seq: fc.integer({ min: 1, max: 0xffffffff }), invoiceCode: digits(20), invoiceNumber: u32, type: fc.constantFrom(...invoiceTypes),
  issuedAt: dateTime, items: fc.array(fc.record({ taxIndex: fc.integer({ min: 1, max: 255 }), amount: u32 }), { maxLength: 6 }),
  total: u32, fiscalCode,
});
export const dailyRecord: fc.Arbitrary<DailyRecord> = fc.record({
  date, validCount: u16, returnCount: u16, voidCount: u16, taxIndex: six(u8), validAmounts: six(u32), returnAmounts: six(u32), signature: bytes(128),
});
export const declaration: fc.Arbitrary<DeclarationRecord> = fc.record({
  seq: fc.integer({ min: 1, max: 0xffffffff }), type: fc.constantFrom(...declarationTypes), declaredAt: dateTime, start: date, end: date,
  validCount: u32, returnCount: u16, voidCount: u16, taxIndex: six(u8), validAmounts: six(u32), returnAmounts: six(u32),
  validTotal: u32, returnTotal: u32, status: u8, mac1: bytes(4), signature: bytes(128),
});
export const roll: fc.Arbitrary<RollRecord> = fc.record({
  seq: fc.integer({ min: 1, max: 0xffffffff }), invoiceCode: digits(20), start: u32, end: u32, distributedOn: date, state: fc.constantFrom(...rollStates),
});
export const rollSummary = fc.record({
  seq: fc.integer({ min: 1, max: 0xffffffff }), invoiceCode: digits(20), start: u32, end: u32, validCount: u16, returnCount: u16, voidCount: u16,
  validTotal: u32, returnTotal: u32, closedOn: fc.option(date, { nil: null }),
});
export const invoiceRoll = fc.tuple(digits(20), u32, u32).map(([invoiceCode, a, b]) => ({ invoiceCode, start: Math.min(a, b), end: Math.max(a, b) }));
export const capabilities: fc.Arbitrary<Capabilities> = fc.record({
  protocolVersion: u8, baudRates: fc.array(u32, { maxLength: 16 }), maxMessage: u32, commands: fc.array(u8, { maxLength: 60 }),
});
export const recordCounts: fc.Arbitrary<RecordCounts> = fc.record({
  invoices: u32, dailyRecords: u32, declarations: u32, distributedRolls: u32, rollSummaries: u32, initializations: u32,
});
export const firmwareTransfer = fc.record({ state: fc.constantFrom(...firmwareStates), size: u32, received: u32, sha256: bytes(32), version });
export const controlLimits: fc.Arbitrary<ControlLimits> = fc.record({
  issueDeadline: date, singleInvoiceLimit: u32, cumulativeLimit: u32, returnLimit: u32, taxIndex: six(u8),
});
export const initializationRecord: fc.Arbitrary<InitializationRecord> = fc.record({
  seq: fc.integer({ min: 1, max: 0xffffffff }), kind: fc.constantFrom(...initializationKinds), recordedAt: dateTime,
  machineNumber: digits(16), fiscalCardNumber: digits(16), taxpayerNumber: digits(16), taxpayerId: ascii(20), taxpayerName: gbk(40),
  officeCode: u32, declarationMode: u8, applicationStartDate: date, validUntil: date, issueDeadline: date,
  singleInvoiceLimit: u32, cumulativeLimit: u32, returnLimit: u32, taxIndex: six(u8),
  taxItems: fc.array(taxItem, { minLength: 1, maxLength: 6 }),
});
