import { afterEach } from 'vitest';
import { createMemoryTransportPair } from '../../../drivers/memory/MemoryTransportPair.js';
import * as link from '../../../protocols/gb-link/index.js';
import type { InitializationData, InvoiceRecord, RegisterStatus, UserInfo } from '../../../protocols/gb-link/index.js';
import { RegisterSession, type RegisterSessionOptions } from '../../../src/devices/RegisterSession.js';
import { FakeRegister } from './FakeRegister.js';

export const fast: RegisterSessionOptions = { replyTimeoutMs: 60, interByteGapMs: 10, settleMs: 20, busyLimitMs: 2000, retries: 3, packetRetries: 3 };

export async function connected(options: RegisterSessionOptions = {}) {
  const { host, device } = createMemoryTransportPair('memory:test');
  await device.open();
  const register = new FakeRegister(device);
  const session = await RegisterSession.open(host, { deviceId: 'reg-1', ...fast, ...options });
  return { host, device, register, session };
}

/** `connected()` for one test file: every session it opens is closed after each test. */
export function sessionSetup(): (options?: RegisterSessionOptions) => ReturnType<typeof connected> {
  const sessions: RegisterSession[] = [];
  afterEach(async () => {
    for (const session of sessions.splice(0)) await session.close();
  });
  return async (options = {}) => {
    const ctx = await connected(options);
    sessions.push(ctx.session);
    return ctx;
  };
}

/** What a promise rejects with; a promise that resolves fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

export const baseStatus: RegisterStatus = {
  initialized: false, fiscalMode: false,
  locks: { deadlinePassed: false, fiveYear: false, fiscalCard: false, userCard: false, fiscalMemoryFault: false },
  awaitingControlUpdate: false, firmwareTransfer: false, issueDeadline: null,
  invoiceCount: 0, dailyRecordCount: 0, declarationCount: 0, distributedRollCount: 0, currentRoll: null,
  fiscalSlot: 'present', userSlot: 'present', lastDeclarationEnd: null, lastSignedDay: null,
};

export const initData: InitializationData = {
  pin: Uint8Array.of(9, 8, 7, 6, 5, 4, 3, 2), taxpayerNumber: '4403001234567890', taxpayerId: '91440300MA5FXXXX1X',
  taxpayerName: '深圳市示例餐饮有限公司', officeCode: 44030000, fiscalCardNumber: '8800000000000123', userCardNumber: '8900000000000456',
  declarationMode: 1, issueDeadline: '2026-04-15', singleInvoiceLimit: 1_000_000, cumulativeLimit: 50_000_000, returnLimit: 1_000_000,
  taxIndex: [1, 2, 3, 4, 5, 6], applicationStartDate: '2026-01-01', validUntil: '2031-12-31', initializationDate: '2026-03-01',
  taxItems: [1, 2, 3, 4, 5, 6].map((index) => ({ index, itemCode: `0101010${index}`, rate: 100 * index, nameZh: '餐饮服务', nameEn: `Item ${index}` })),
};

export function userInfoFrom(data: InitializationData): UserInfo {
  return {
    taxpayerNumber: data.taxpayerNumber, taxpayerId: data.taxpayerId, taxpayerName: data.taxpayerName, officeCode: data.officeCode,
    fiscalCardNumber: data.fiscalCardNumber, declarationMode: data.declarationMode, initializationDate: data.initializationDate,
    applicationStartDate: data.applicationStartDate, validUntil: data.validUntil,
  };
}

export function invoices(count: number): InvoiceRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    seq: i + 1, invoiceCode: '14403000000123456789', invoiceNumber: 1000 + i, type: 'normal' as const,
    issuedAt: '2026-11-21T12:00:00', items: [{ taxIndex: 1, amount: 100 + i }], total: 100 + i, fiscalCode: '00000000010000000002',
  }));
}

/** A register state machine just rich enough for the in-doubt tests: 30, 38, 41, 3A/3B, 31, 32. */
export function statefulRegister(register: FakeRegister) {
  const state = { status: { ...baseStatus }, info: undefined as UserInfo | undefined, clockOffsetMs: 0, rolls: [] as link.RollRecord[] };
  const clock = () => new Date(Date.now() + state.clockOffsetMs).toISOString().slice(0, 19);
  register
    .on(link.CMD.STATUS, () => ({ data: link.status.response.encode(state.status) }))
    .on(link.CMD.USER_INFO, () => (state.info === undefined ? { error: 0x10 } : { data: link.userInfo.response.encode(state.info) }))
    .on(link.CMD.INITIALIZE, (params) => {
      if (state.status.initialized) return { error: 0x1e };
      const data = link.initialize.request.decode(params);
      state.status = { ...state.status, initialized: true, fiscalMode: true };
      state.info = userInfoFrom(data);
      return { data: new Uint8Array(0) };
    })
    .on(link.CMD.DATE_TIME, () => ({ data: link.dateTime.response.encode(clock()) }))
    .on(link.CMD.SET_TIME, (params) => {
      state.clockOffsetMs = Date.parse(`${link.setTime.request.decode(params)}Z`) - Date.now();
      return { data: new Uint8Array(0) };
    })
    .on(link.CMD.DISTRIBUTE_INVOICE_NUMBERS, () => {
      const seq = state.rolls.length + 1;
      const roll = { seq, invoiceCode: '14403000000123456789', start: seq * 1000, end: seq * 1000 + 999, distributedOn: '2026-11-22', state: 'distributed' as const };
      state.rolls.push(roll);
      state.status = { ...state.status, distributedRollCount: seq };
      return { data: link.distributeInvoiceNumbers.response.encode({ invoiceCode: roll.invoiceCode, start: roll.start, end: roll.end }) };
    })
    .on(link.CMD.DISTRIBUTED_ROLLS, (params) => {
      const { from, count } = link.distributedRolls.request.decode(params);
      return { data: link.distributedRolls.response.encode(state.rolls.slice(from - 1, from - 1 + count)) };
    });
  return state;
}
