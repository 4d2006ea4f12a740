import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { capabilities, connect, factoryData, recordCounts, switchBaud } from '../../../protocols/gb-link/payloads/identity.js';
import { initialize, taxItems, updateTaxpayer, userInfo } from '../../../protocols/gb-link/payloads/taxpayer.js';
import { changeTime, dateTime, setTime } from '../../../protocols/gb-link/payloads/clock.js';
import { status } from '../../../protocols/gb-link/payloads/status.js';
import {
  dailyRecords, declarations, distributedRolls, invoicesByIndex, invoicesByNumber, invoicesByTime,
} from '../../../protocols/gb-link/payloads/records.js';
import { cardApdu, cardPowerOff, cardPowerOn } from '../../../protocols/gb-link/payloads/card.js';
import { selfChecks } from '../../../protocols/gb-link/payloads/selfCheck.js';
import {
  firmwareAbort, firmwareActivate, firmwareBegin, firmwareQuery, firmwareVerify, firmwareWrite,
} from '../../../protocols/gb-link/payloads/firmware.js';
import { encodeCommandFrame } from '../../../protocols/gb-link/frame.js';
import { ER } from '../../../protocols/gb-link/errorCodes.js';
import { CMD } from '../../../protocols/gb-link/commandCodes.js';
import { RegisterAnswerError } from './hostLink.js';
import { startHarness } from './simulatorHarness.js';
import { FakeFiscalCard } from './fakeFiscalCard.js';

const untimed = { simulator: { timing: { timed: false } } };

async function refusal(promise: Promise<unknown>): Promise<number> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof RegisterAnswerError) return error.code;
    throw error;
  }
  throw new Error('the register answered OK');
}

describe('simulated register: identity and clock', () => {
  it('answers 00, 37, 70, 3A and 41 on a new register', async () => {
    const { sim, link } = await startHarness(untimed);
    await link.call(connect, undefined);
    const factory = await link.call(factoryData, undefined);
    expect(factory).toEqual({
      machineNumber: sim.state.identity.machineNumber, model: 'SIM-ECR-200', hardwareRevision: 'B2',
      firmwareVersion: '2.3.1', bootloaderVersion: '1.4.0', productionDate: '2025-06-01',
    });
    const caps = await link.call(capabilities, undefined);
    expect(caps.commands).toEqual(expect.arrayContaining([0x00, 0x30, 0x37, 0x41, 0x5b, 0x64, 0x70, 0x71, 0x72]));
    expect(caps.baudRates).toContain(115200);
    expect(await link.call(dateTime, undefined)).toBe('2026-01-05T09:00:00');
    const st = await link.call(status, undefined);
    expect(st).toMatchObject({ initialized: false, invoiceCount: 0, currentRoll: null, fiscalSlot: 'empty', userSlot: 'empty' });
    expect(sim.internalErrors).toEqual([]);
  });

  it('sets the clock with 3B before initialization and refuses 3B across days afterwards', async () => {
    const fresh = await startHarness(untimed);
    await fresh.link.call(setTime, '2026-03-01T10:00:00');
    expect(await fresh.link.call(dateTime, undefined)).toBe('2026-03-01T10:00:00');
    const seeded = await startHarness({ ...untimed, history: { days: 5, invoicesPerDay: 3 } });
    expect(await refusal(seeded.link.call(setTime, '2026-01-06T10:00:00'))).toBe(ER.VALUE_OVERFLOW);
    await seeded.link.call(setTime, '2026-01-05T18:30:00');
    expect(await refusal(seeded.link.call(changeTime, '2026-01-02T10:00:00'))).toBe(ER.VALUE_OVERFLOW);
    await seeded.link.call(changeTime, '2026-01-07T08:00:00');
    expect(await seeded.link.call(dateTime, undefined)).toBe('2026-01-07T08:00:00');
    expect(await refusal(fresh.link.call(changeTime, '2026-03-02T10:00:00'))).toBe(ER.NOT_INITIALIZED);
  });

  it('switches baud rate after answering at the old one, and refuses a rate it lacks', async () => {
    const { sim, link } = await startHarness(untimed);
    expect(sim.line.baud).toBe(9600);
    await link.call(switchBaud, { baud: 115200 });
    await sim.line.drained();
    await new Promise((resolve) => setImmediate(resolve));
    expect(sim.line.baud).toBe(115200);
    expect(await refusal(link.call(switchBaud, { baud: 12345 }))).toBe(ER.BAUD_UNSUPPORTED);
  });
});

describe('simulated register: errors', () => {
  it('answers ER 10 for fiscal data before initialization', async () => {
    const { link } = await startHarness(untimed);
    expect(await refusal(link.call(userInfo, undefined))).toBe(ER.NOT_INITIALIZED);
    expect(await refusal(link.call(taxItems, undefined))).toBe(ER.NOT_INITIALIZED);
    expect(await refusal(link.call(invoicesByIndex, { from: 1, count: 10 }))).toBe(ER.NOT_INITIALIZED);
  });

  it('answers ER 20 for an unknown command, ER 22 for a request that does not decode, ER 1F for a bad CRC', async () => {
    const { link } = await startHarness(untimed);
    expect(await link.request(0x2f)).toMatchObject({ kind: 'error', code: ER.UNKNOWN_COMMAND });
    expect(await link.request(CMD.FACTORY_DATA, Uint8Array.of(1, 2))).toMatchObject({ kind: 'error', code: ER.BAD_LENGTH });
    const frame = encodeCommandFrame(CMD.FACTORY_DATA, 0);
    frame[frame.length - 1] ^= 0xff;
    await link.sendRaw(frame);
    expect(await link.next()).toEqual({ kind: 'error', code: ER.CRC_ERROR });
    await link.call(connect, undefined);
  });

  it('answers ER 1E to 30 on an initialized register and ER 02 with no fiscal card', async () => {
    const seeded = await startHarness({ ...untimed, history: { days: 3, invoicesPerDay: 2 } });
    const data = initializationData(seeded.sim.state.identity.machineNumber);
    expect(await refusal(seeded.link.call(initialize, data))).toBe(ER.ALREADY_INITIALIZED);
    const fresh = await startHarness(untimed);
    expect(await refusal(fresh.link.call(initialize, data))).toBe(0x02);
    expect(await refusal(fresh.link.call(cardPowerOn, { slot: 'fiscal' }))).toBe(0x02);
    expect(await refusal(fresh.link.call(cardPowerOn, { slot: 'user' }))).toBe(0x07);
  });
});

function initializationData(machineNumber: string, pin = '1122334455667788') {
  void machineNumber;
  return {
    pin: Uint8Array.from(Buffer.from(pin, 'hex')),
    taxpayerNumber: '4403010000123456',
    taxpayerId: '91440300MA5EXAMPLE',
    taxpayerName: '深圳市示例商贸有限公司',
    officeCode: 14403001,
    fiscalCardNumber: '4403100000000001',
    userCardNumber: '4403200000000001',
    declarationMode: 1,
    issueDeadline: '2026-02-04',
    singleInvoiceLimit: 1_000_000,
    cumulativeLimit: 10_000_000,
    returnLimit: 500_000,
    taxIndex: [1, 2, 0, 0, 0, 0],
    applicationStartDate: '2025-01-01',
    validUntil: '2028-12-31',
    initializationDate: '2026-01-05',
    taxItems: [
      { index: 1, itemCode: '01010100', rate: 1300, nameZh: '商品销售', nameEn: 'Goods' },
      { index: 2, itemCode: '01020100', rate: 600, nameZh: '现代服务', nameEn: 'Services' },
    ],
  };
}

describe('simulated register: initialization through the fiscal card in the slot', () => {
  it('initializes with WT frames while busy, rotates the PIN, and refuses a second time', async () => {
    const { sim, link } = await startHarness();
    const card = new FakeFiscalCard('4403100000000001', sim.state.identity.machineNumber, '1122334455667788');
    sim.insertCard('fiscal', card);
    const data = initializationData(sim.state.identity.machineNumber);
    const outcome = await link.request(CMD.INITIALIZE, initialize.request.encode(data));
    expect(outcome.kind).toBe('ok');
    expect(outcome.busyFrames).toBeGreaterThanOrEqual(4);
    expect(sim.state.fiscal.pin).toEqual({ original: '1122334455667788', current: card.pin });
    expect(card.pin).not.toBe('1122334455667788');
    const info = await link.call(userInfo, undefined);
    expect(info).toMatchObject({ taxpayerName: '深圳市示例商贸有限公司', fiscalCardNumber: '4403100000000001', initializationDate: '2026-01-05' });
    expect(await link.call(taxItems, undefined)).toEqual(data.taxItems);
    expect((await link.call(status, undefined)).initialized).toBe(true);
    expect(await refusal(link.call(initialize, data))).toBe(ER.ALREADY_INITIALIZED);
  });

  it('refuses a fiscal card of another machine (ER 15) and a wrong PIN (ER 18)', async () => {
    const other = await startHarness(untimed);
    other.sim.insertCard('fiscal', new FakeFiscalCard('4403100000000001', '4403000099999999', '1122334455667788'));
    expect(await refusal(other.link.call(initialize, initializationData('')))).toBe(0x15);
    const wrongPin = await startHarness(untimed);
    wrongPin.sim.insertCard('fiscal', new FakeFiscalCard('4403100000000001', wrongPin.sim.state.identity.machineNumber, 'aaaaaaaaaaaaaaaa'));
    expect(await refusal(wrongPin.link.call(initialize, initializationData('')))).toBe(0x18);
    expect(wrongPin.sim.memory.initialized).toBe(false);
  });

  it('records a registration change (62) as a new initialization record', async () => {
    const { sim, link } = await startHarness({ ...untimed, history: { days: 3, invoicesPerDay: 2 } });
    await link.call(updateTaxpayer, { taxpayerName: '新名称有限公司', officeCode: 7, declarationMode: 1 });
    expect((await link.call(userInfo, undefined)).taxpayerName).toBe('新名称有限公司');
    expect(sim.state.fiscal.initializations.map((r) => r.kind)).toEqual(['initialize', 'update-taxpayer']);
    expect((await link.call(recordCounts, undefined)).initializations).toBe(2);
  });
});

describe('simulated register: card passthrough', () => {
  it('powers a card, forwards APDUs raw and powers it off', async () => {
    const { sim, link } = await startHarness(untimed);
    const card = new FakeFiscalCard('4403100000000001', sim.state.identity.machineNumber, '1122334455667788');
    sim.insertCard('fiscal', card);
    expect(await refusal(link.call(cardApdu, { slot: 'fiscal', apdu: Uint8Array.of(0, 0xa4, 4, 0, 0) }))).toBe(0x01);
    expect(await link.call(cardPowerOn, { slot: 'fiscal' })).toEqual(card.atr);
    const select = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 6, ...Buffer.from('TSAM01')]);
    expect(await link.call(cardApdu, { slot: 'fiscal', apdu: select })).toEqual(Uint8Array.of(0x90, 0x00));
    expect(card.apdus.at(-1)).toEqual(select);
    expect((await link.call(status, undefined)).fiscalSlot).toBe('powered');
    await link.call(cardPowerOff, { slot: 'fiscal' });
    expect((await link.call(status, undefined)).fiscalSlot).toBe('present');
  });
});

describe('simulated register: fiscal memory reads', () => {
  it('serves invoices, daily records, declarations and rolls that decode and agree with 41 and 72', async () => {
    const { sim, link } = await startHarness({ ...untimed, history: { days: 70, invoicesPerDay: 12 } });
    const st = await link.call(status, undefined);
    const counts = await link.call(recordCounts, undefined);
    expect(counts.invoices).toBe(st.invoiceCount);
    const invoices = await link.call(invoicesByIndex, { from: 1, count: 65535 });
    expect(invoices.length).toBe(st.invoiceCount);
    expect(invoices.map((i) => i.seq)).toEqual(invoices.map((_, i) => i + 1));
    const daily = await link.call(dailyRecords, { from: '2000-01-01', to: '2099-12-31' });
    expect(daily.length).toBe(st.dailyRecordCount);
    expect(daily.at(-1)!.date).toBe(st.lastSignedDay);
    const decl = await link.call(declarations, { from: 1, count: 1000 });
    expect(decl.length).toBe(st.declarationCount);
    expect(decl.at(-1)!.end).toBe(st.lastDeclarationEnd);
    const rolls = await link.call(distributedRolls, { from: 1, count: 1000 });
    expect(rolls.length).toBe(st.distributedRollCount);
    expect(rolls.at(-1)!.state).toBe('in-use');
    const first = invoices[0]!;
    const byNumber = await link.call(invoicesByNumber, { invoiceCode: first.invoiceCode, start: first.invoiceNumber, end: first.invoiceNumber + 4 });
    expect(byNumber).toEqual(invoices.slice(0, 5));
    const day = daily[10]!.date;
    const byTime = await link.call(invoicesByTime, { from: `${day}T00:00:00`, to: `${day}T23:59:59` });
    expect(byTime.every((i) => i.issuedAt.startsWith(day))).toBe(true);
    expect(byTime.filter((i) => i.type === 'normal').length).toBe(daily[10]!.validCount);
    expect(await link.call(invoicesByIndex, { from: invoices.length + 1, count: 5 })).toEqual([]);
    expect(sim.internalErrors).toEqual([]);
  });

  it('answers all self-checks, and 5F names a corrupted record', async () => {
    const { sim, link } = await startHarness({ ...untimed, history: { days: 10, invoicesPerDay: 5 } });
    for (const spec of Object.values(selfChecks)) expect(await link.call(spec, undefined)).toEqual({ result: 0, detail: 'OK' });
    sim.corruptRecord('daily', 3);
    const memory = await link.call(selfChecks.memory, undefined);
    expect(memory.result).not.toBe(0);
    expect(memory.detail).toContain('daily #4');
    expect((await link.call(selfChecks.cycle, undefined)).detail).toContain('memory');
    expect((await link.call(status, undefined)).locks.fiscalMemoryFault).toBe(true);
    sim.setSelfCheckFault('ram', { result: 3, detail: 'RAM bank 2' });
    expect(await link.call(selfChecks.ram, undefined)).toEqual({ result: 3, detail: 'RAM bank 2' });
  });
});

describe('simulated register: firmware update (64)', () => {
  it('writes the inactive slot by offset, verifies, activates on reboot', async () => {
    const { sim, link } = await startHarness(untimed);
    const image = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7) & 0xff);
    const sha256 = Uint8Array.from(createHash('sha256').update(image).digest());
    expect(await refusal(link.call(firmwareWrite, { offset: 0, data: image.subarray(0, 10) }))).toBe(ER.FIRMWARE_NO_TRANSFER);
    expect(await refusal(link.call(firmwareBegin, { size: image.length, sha256, version: '2.4.0', model: 'OTHER' }))).toBe(ER.FIRMWARE_REFUSED);
    const begin = await link.call(firmwareBegin, { size: image.length, sha256, version: '2.4.0', model: 'SIM-ECR-200' });
    expect(begin).toEqual({ resumeOffset: 0, maxBlock: 65_024 });
    expect((await link.call(firmwareWrite, { offset: 0, data: image.subarray(0, 2048) })).received).toBe(2048);
    expect(await refusal(link.call(firmwareWrite, { offset: 4096, data: image.subarray(4096) }))).toBe(ER.FIRMWARE_OFFSET_REFUSED);
    expect((await link.call(firmwareBegin, { size: image.length, sha256, version: '2.4.0', model: 'SIM-ECR-200' })).resumeOffset).toBe(2048);
    expect((await link.call(firmwareWrite, { offset: 1024, data: image.subarray(1024, 3072) })).received).toBe(3072);
    expect(await refusal(link.call(firmwareVerify, undefined))).toBe(ER.FIRMWARE_OFFSET_REFUSED);
    expect(await refusal(link.call(firmwareActivate, undefined))).toBe(ER.FIRMWARE_REFUSED);
    expect((await link.call(firmwareWrite, { offset: 3072, data: image.subarray(3072) })).received).toBe(5000);
    expect((await link.call(firmwareQuery, undefined)).state).toBe('complete');
    expect(await link.call(firmwareVerify, undefined)).toEqual({ sha256 });
    expect((await link.call(firmwareQuery, undefined)).state).toBe('verified');
    const booted = new Promise((resolve) => sim.onEvent((e) => { if (e.type === 'boot') resolve(e); }));
    await link.call(firmwareActivate, undefined);
    expect(await booted).toMatchObject({ result: 'activated', firmwareVersion: '2.4.0' });
    expect((await link.call(factoryData, undefined)).firmwareVersion).toBe('2.4.0');
    expect(sim.state.firmware.active).toBe('b');
    // SPEC §5.8: after an activation that booted, the transfer is gone: query answers idle, every field zero.
    expect(await link.call(firmwareQuery, undefined)).toEqual({ state: 'idle', size: 0, received: 0, sha256: new Uint8Array(32), version: '0.0.0' });
  });

  it('abort forgets the partial image', async () => {
    const { link } = await startHarness(untimed);
    const sha256 = new Uint8Array(32).fill(1);
    await link.call(firmwareBegin, { size: 100, sha256, version: '2.4.0', model: 'SIM-ECR-200' });
    await link.call(firmwareWrite, { offset: 0, data: new Uint8Array(50) });
    await link.call(firmwareAbort, undefined);
    expect(await link.call(firmwareQuery, undefined)).toMatchObject({ state: 'idle', received: 0 });
  });
});
