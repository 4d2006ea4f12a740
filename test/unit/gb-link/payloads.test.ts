import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGatewayError } from '../../../contracts/errors/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import type { CommandSpec, PayloadCodec } from '../../../protocols/gb-link/index.js';
import * as arb from './arbitraries.js';

const nothing = fc.constant(undefined as void);

/** Each command with arbitraries for its request and its answer. */
const cases: [CommandSpec<unknown, unknown>, fc.Arbitrary<unknown>, fc.Arbitrary<unknown>][] = ([
  [link.connect, nothing, nothing],
  [link.factoryData, nothing, arb.factoryData],
  [link.userInfo, nothing, arb.userInfo],
  [link.taxItems, nothing, fc.array(arb.taxItem, { maxLength: 6 })],
  [link.dateTime, nothing, arb.dateTime],
  [link.setTime, arb.dateTime, nothing],
  [link.changeTime, arb.dateTime, nothing],
  [link.status, nothing, arb.status],
  [link.initialize, arb.initializationData, nothing],
  [link.updateTaxpayer, fc.record({ taxpayerName: arb.gbk(40), officeCode: arb.u32, declarationMode: arb.u8 }), nothing],
  [link.distributeInvoiceNumbers, nothing, arb.invoiceRoll],
  [link.inputInvoiceNumbers, arb.invoiceRoll, nothing],
  [link.invoicesByIndex, fc.record({ from: fc.integer({ min: 1, max: 0xffffffff }), count: fc.integer({ min: 1, max: 0xffff }) }), fc.array(arb.invoice, { maxLength: 5 })],
  [link.invoicesByNumber, arb.invoiceRoll, fc.array(arb.invoice, { maxLength: 5 })],
  [link.invoicesByTime, fc.tuple(arb.dateTime, arb.dateTime).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })), fc.array(arb.invoice, { maxLength: 5 })],
  [link.dailyRecords, fc.tuple(arb.date, arb.date).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })), fc.array(arb.dailyRecord, { maxLength: 3 })],
  [link.declarations, fc.record({ from: fc.integer({ min: 1, max: 1000 }), count: fc.integer({ min: 1, max: 100 }) }), fc.array(arb.declaration, { maxLength: 3 })],
  [link.distributedRolls, fc.record({ from: fc.integer({ min: 1, max: 1000 }), count: fc.integer({ min: 1, max: 100 }) }), fc.array(arb.roll, { maxLength: 5 })],
  [link.rollSummaries, fc.record({ from: fc.integer({ min: 1, max: 1000 }), count: fc.integer({ min: 1, max: 100 }) }), fc.array(arb.rollSummary, { maxLength: 5 })],
  [link.controlWriteBack, nothing, arb.controlLimits],
  [link.initializationHistory, fc.record({ from: fc.integer({ min: 1, max: 1000 }), count: fc.integer({ min: 1, max: 100 }) }), fc.array(arb.initializationRecord, { maxLength: 3 })],
  [link.cardPowerOn, fc.record({ slot: fc.constantFrom(...link.cardSlots) }), fc.uint8Array({ minLength: 2, maxLength: 33 }).map((b) => Uint8Array.from(b))],
  [link.cardPowerOff, fc.record({ slot: fc.constantFrom(...link.cardSlots) }), nothing],
  [link.cardApdu, fc.record({ slot: fc.constantFrom(...link.cardSlots), apdu: fc.uint8Array({ minLength: 4, maxLength: 261 }).map((b) => Uint8Array.from(b)) }),
    fc.uint8Array({ minLength: 2, maxLength: 258 }).map((b) => Uint8Array.from(b))],
  ...link.selfCheckKinds.map((kind) => [link.selfChecks[kind], nothing, fc.record({ result: arb.u8, detail: arb.gbk(64) })] as const),
  [link.firmwareBegin, fc.record({ size: fc.integer({ min: 1, max: 0xffffffff }), sha256: arb.bytes(32), version: arb.version, model: arb.gbk(20) }),
    fc.record({ resumeOffset: arb.u32, maxBlock: fc.integer({ min: 1, max: 0xffff }) })],
  [link.firmwareWrite, fc.record({ offset: arb.u32, data: fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => Uint8Array.from(b)) }), fc.record({ received: arb.u32 })],
  [link.firmwareWriteCompressed, fc.record({
    offset: arb.u32, size: fc.integer({ min: 1, max: 0xffff }), deflated: fc.uint8Array({ minLength: 1, maxLength: 600 }).map((b) => Uint8Array.from(b)),
  }), fc.record({ received: arb.u32 })],
  [link.firmwareQuery, nothing, arb.firmwareTransfer],
  [link.firmwareVerify, nothing, fc.record({ sha256: arb.bytes(32) })],
  [link.firmwareActivate, nothing, nothing],
  [link.firmwareAbort, nothing, nothing],
  [link.firmwareActivateTrial, fc.record({ deadlineSeconds: fc.integer({ min: 1, max: 0xffff }) }), nothing],
  [link.firmwareConfirm, nothing, nothing],
  [link.firmwareTrial, nothing, fc.record({
    state: fc.constantFrom(...link.trialStates), reason: fc.constantFrom(...link.trialReasons), secondsLeft: fc.integer({ min: 0, max: 0xffff }),
    runningVersion: arb.version, runningSha256: arb.bytes(32), previousVersion: arb.version, trialVersion: arb.version,
  })],
  [link.firmwareMediaReport, nothing, fc.record({
    state: fc.constantFrom(...link.mediaInstallStates), source: fc.constantFrom(...link.mediaSources), reason: fc.constantFrom(...link.mediaRefusals), version: arb.version,
  })],
  [link.capabilities, nothing, arb.capabilities],
  [link.switchBaud, fc.record({ baud: fc.integer({ min: 1200, max: 0xffffffff }) }), nothing],
  [link.recordCounts, nothing, arb.recordCounts],
] as const) as never;

function roundTrip<T>(codec: PayloadCodec<T>, value: T): void {
  const bytes = codec.encode(value);
  expect(codec.decode(bytes)).toEqual(value);
  expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
}

describe('payload codecs', () => {
  it.each(cases.map((c) => [`${c[0].code.toString(16).padStart(2, '0')} ${c[0].name}`, ...c] as const))('%s round-trips', (_, spec, request, response) => {
    fc.assert(fc.property(request, (value) => roundTrip(spec.request, value)), { numRuns: 60 });
    fc.assert(fc.property(response, (value) => roundTrip(spec.response, value)), { numRuns: 60 });
  });

  it.each(cases.map((c) => [`${c[0].code.toString(16).padStart(2, '0')} ${c[0].name}`, c[0]] as const))('%s: random and truncated bytes only ever raise LINK_PAYLOAD_INVALID', (_, spec) => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      for (const codec of [spec.request, spec.response]) {
        try { codec.decode(bytes); } catch (error) { expect(isGatewayError(error, 'LINK_PAYLOAD_INVALID'), String(error)).toBe(true); }
      }
    }), { numRuns: 80 });
  });

  it('pins the documented sizes', () => {
    expect(link.factoryData.response.encode({ machineNumber: '1'.repeat(16), model: 'M', hardwareRevision: 'A', firmwareVersion: '1.2.3', bootloaderVersion: '1.0.0', productionDate: null }).length).toBe(46);
    expect(link.INVOICE_RECORD_SIZE).toBe(68);
    expect(link.DAILY_RECORD_SIZE).toBe(192);
    expect(link.DECLARATION_RECORD_SIZE).toBe(223);
    expect(link.ROLL_RECORD_SIZE).toBe(27);
    expect(link.ROLL_SUMMARY_SIZE).toBe(40);
    expect(link.TAX_ITEM_SIZE).toBe(47);
    expect(link.CONTROL_LIMITS_SIZE).toBe(22);
    expect(link.INITIALIZATION_RECORD_SIZE).toBe(414);
  });

  it('73: unused tax item slots must be zero, and a record holds one to six items', () => {
    const record = fc.sample(arb.initializationRecord, { numRuns: 1, seed: 5 })[0]!;
    const one = { ...record, taxItems: record.taxItems.slice(0, 1) };
    const bytes = link.initializationHistory.response.encode([one]);
    expect(bytes.length).toBe(4 + link.INITIALIZATION_RECORD_SIZE);
    const dirty = Uint8Array.from(bytes);
    dirty[dirty.length - 1] = 1;
    expect(() => link.initializationHistory.response.decode(dirty)).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    const none = Uint8Array.from(bytes);
    none[4 + 131] = 0;
    expect(() => link.initializationHistory.response.decode(none)).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
    expect(() => link.initializationHistory.response.encode([{ ...record, taxItems: [] }])).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
  });

  it('40: the answer is the limits in force, and the request carries nothing', () => {
    const limits = { issueDeadline: '2026-12-15', singleInvoiceLimit: 1_000_000, cumulativeLimit: 50_000_000, returnLimit: 1_000_000, taxIndex: [1, 2, 0, 0, 0, 0] };
    expect(link.controlWriteBack.effect).toBe('write');
    expect(link.controlWriteBack.request.encode(undefined)).toEqual(new Uint8Array(0));
    expect(link.controlWriteBack.response.decode(link.controlWriteBack.response.encode(limits))).toEqual(limits);
    expect(() => link.controlWriteBack.response.decode(new Uint8Array(22))).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
  });

  it('refuses values the wire cannot carry, with LINK_PAYLOAD_INVALID', () => {
    const attempts = [
      () => link.setTime.request.encode('2026-02-30T10:00:00'),
      () => link.userInfo.response.encode({ taxpayerNumber: '123', taxpayerId: 'x', taxpayerName: 'n', officeCode: 1, fiscalCardNumber: '1'.repeat(16), declarationMode: 1, initializationDate: '2026-01-01', applicationStartDate: '2026-01-01', validUntil: '2030-01-01' }),
      () => link.updateTaxpayer.request.encode({ taxpayerName: '税'.repeat(21), officeCode: 1, declarationMode: 1 }),
      () => link.updateTaxpayer.request.encode({ taxpayerName: '😀', officeCode: 1, declarationMode: 1 }),
      () => link.cardApdu.request.encode({ slot: 'fiscal', apdu: Uint8Array.of(0, 0xa4) }),
      () => link.inputInvoiceNumbers.request.encode({ invoiceCode: '1'.repeat(20), start: 10, end: 9 }),
    ];
    for (const attempt of attempts) expect(attempt).toThrow(expect.objectContaining({ code: 'LINK_PAYLOAD_INVALID' }));
  });

  it('reads the fiscal code as two 10-digit halves', () => {
    expect(link.fiscalCodeDigits(Uint8Array.of(0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff))).toBe('00000000014294967295');
  });
});
