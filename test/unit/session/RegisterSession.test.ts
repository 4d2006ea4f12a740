import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import { initData, invoices, statefulRegister, userInfoFrom, rejection, sessionSetup } from './fixtures.js';

const setup = sessionSetup();

const factory = { machineNumber: '1234567890123456', model: 'SK-3000', hardwareRevision: 'B2', firmwareVersion: '2.4.1', bootloaderVersion: '1.1.0', productionDate: null };

describe('RegisterSession: reads', () => {
  it('connects and reads factory data', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CONNECT, () => ({ data: new Uint8Array(0) }));
    register.on(link.CMD.FACTORY_DATA, () => ({ data: link.factoryData.response.encode(factory) }));
    await session.connect();
    expect(await session.factoryData()).toEqual(factory);
  });

  it('times out with LINK_TIMEOUT after the bounded number of re-sends', async () => {
    const { register, session } = await setup({ retries: 2 });
    register.on(link.CMD.STATUS, () => ({ silent: true }));
    const error = await rejection(session.status());
    expect(isGatewayError(error, 'LINK_TIMEOUT')).toBe(true);
    expect(register.count(link.CMD.STATUS)).toBe(3);
  });

  it('re-sends a read whose reply was corrupted or lost, and returns the right answer', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.FACTORY_DATA, () => ({ data: link.factoryData.response.encode(factory) }));
    register.replyFaults = ['corrupt', 'drop'];
    expect(await session.factoryData()).toEqual(factory);
    expect(register.count(link.CMD.FACTORY_DATA)).toBe(3);
  });

  it('never takes a late reply to a timed-out command for the answer to the next one', async () => {
    // fast timing: reply timeout 60 ms, settle 20 ms. The first 37 is answered after 100 ms, when the
    // session has given up on it; the 38 that follows must get its own answer, not that late one.
    const { register, session } = await setup({ retries: 0 });
    const user = link.userInfo.response.encode(userInfoFrom(initData));
    let slow = true;
    register.on(link.CMD.FACTORY_DATA, async () => {
      if (slow) {
        slow = false;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return { data: link.factoryData.response.encode(factory) };
    });
    register.on(link.CMD.USER_INFO, async () => {
      await new Promise((resolve) => setTimeout(resolve, 45));
      return { data: user };
    });
    expect(isGatewayError(await rejection(session.factoryData()), 'LINK_TIMEOUT')).toBe(true);
    expect(await session.userInfo()).toEqual(link.userInfo.response.decode(user));
  });

  it('keeps waiting while the register answers WT, beyond the reply timeout', async () => {
    const { register, session } = await setup({ replyTimeoutMs: 60 });
    register.on(link.CMD.SELF_CHECK_CYCLE, () => ({ data: link.selfChecks.cycle.response.encode({ result: 0, detail: '正常' }) }));
    register.busyFrames = 6;
    register.busyGapMs = 30;
    expect(await session.selfCheck('cycle')).toEqual({ result: 0, detail: '正常' });
    expect(register.count(link.CMD.SELF_CHECK_CYCLE)).toBe(1);
  });

  it('gives up with LINK_DEVICE_BUSY when WT lasts longer than the busy limit', async () => {
    const { register, session } = await setup({ busyLimitMs: 50 });
    register.on(link.CMD.SELF_CHECK_RAM, () => ({ data: link.selfChecks.ram.response.encode({ result: 0, detail: '' }) }));
    register.busyFrames = 10;
    register.busyGapMs = 15;
    expect(isGatewayError(await rejection(session.selfCheck('ram')), 'LINK_DEVICE_BUSY')).toBe(true);
  });

  it('turns ER codes into their GatewayError, keeping the raw code', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.USER_INFO, () => ({ error: 0x10 }));
    const error = await rejection(session.userInfo());
    expect(isGatewayError(error, 'LINK_NOT_INITIALIZED')).toBe(true);
    expect((error as { data: { erCode: number } }).data.erCode).toBe(0x10);
    register.on(link.CMD.STATUS, () => ({ error: 0x99 }));
    expect(await rejection(session.status())).toMatchObject({ code: 'LINK_DEVICE_ERROR', params: { code: '99' } });
  });

  it('queues concurrent calls: one exchange at a time, in order', async () => {
    const { register, session } = await setup();
    let inFlight = 0;
    let maxInFlight = 0;
    register.on(link.CMD.DATE_TIME, async () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight--;
      return { data: link.dateTime.response.encode('2026-11-22T08:00:00') };
    });
    register.on(link.CMD.FACTORY_DATA, () => ({ data: link.factoryData.response.encode(factory) }));
    const results = await Promise.all([session.dateTime(), session.factoryData(), session.dateTime()]);
    expect(results[1]).toEqual(factory);
    expect(maxInFlight).toBe(1);
    expect(register.executed.map((e) => e.cmd)).toEqual([0x3a, 0x37, 0x3a]);
  });
});

describe('RegisterSession: multi-packet', () => {
  it('sends a two-packet command, re-sending a packet whose NP was lost, executed once', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.replyFaults = ['drop']; // the NP for packet 1
    await session.initialize(initData);
    expect(register.count(link.CMD.INITIALIZE)).toBe(1);
    expect(link.initialize.request.decode(register.executed[0]!.params)).toEqual(initData);
    expect(register.framesIn).toBe(3);
  });

  it('receives a long answer across many packets, asking again for a lost one, with progress', async () => {
    const { register, session } = await setup();
    const all = invoices(500);
    register.on(link.CMD.INVOICES_BY_INDEX, (params) => {
      const { from, count } = link.invoicesByIndex.request.decode(params);
      return { data: link.invoicesByIndex.response.encode(all.slice(from - 1, from - 1 + count)) };
    });
    register.replyFaults = ['pass', 'pass', 'drop', 'pass', 'corrupt'];
    const progress: [number, number | undefined][] = [];
    const got = [];
    for await (const page of session.invoicesByIndex({ from: 1, count: 500 }, { pageSize: 200, onProgress: (d, t) => progress.push([d, t]) })) got.push(...page);
    expect(got).toEqual(all);
    expect(register.count(link.CMD.INVOICES_BY_INDEX)).toBe(3);
    expect(progress.at(-1)).toEqual([500, 500]);
    for (let i = 1; i < progress.length; i++) expect(progress[i]![0]).toBeGreaterThanOrEqual(progress[i - 1]![0]);
    expect(progress.length).toBeGreaterThan(6);
  });

  it('reads daily records in date windows', async () => {
    const { register, session } = await setup();
    const asked: string[] = [];
    register.on(link.CMD.DAILY_RECORDS, (params) => {
      const range = link.dailyRecords.request.decode(params);
      asked.push(`${range.from}..${range.to}`);
      return { data: link.dailyRecords.response.encode([{ date: range.from, validCount: 1, returnCount: 0, voidCount: 0, taxIndex: [1, 0, 0, 0, 0, 0], validAmounts: [5, 0, 0, 0, 0, 0], returnAmounts: [0, 0, 0, 0, 0, 0], signature: new Uint8Array(128) }]) };
    });
    const dates = [];
    for await (const page of session.dailyRecords({ from: '2026-01-01', to: '2026-03-05' }, { pageSize: 31 })) dates.push(...page.map((r) => r.date));
    expect(asked).toEqual(['2026-01-01..2026-01-31', '2026-02-01..2026-03-03', '2026-03-04..2026-03-05']);
    expect(dates).toEqual(['2026-01-01', '2026-02-01', '2026-03-04']);
  });
});

describe('RegisterSession: state-changing commands are never re-sent blindly', () => {
  it('re-sends a write the register refused with ER 1F (it never acted)', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    let first = true;
    register.on(link.CMD.SET_TIME, () => (first ? ((first = false), { error: 0x1f }) : { data: new Uint8Array(0) }));
    await session.setTime('2026-11-22T08:00:00');
    expect(register.count(link.CMD.SET_TIME)).toBe(2);
  });

  it('initialize whose reply was lost but which took effect: reads state back, returns, does not re-send', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.replyFaults = ['pass', 'drop']; // NP for packet 1 passes, the OK is lost
    await session.initialize(initData);
    expect(register.count(link.CMD.INITIALIZE)).toBe(1);
    expect(register.count(link.CMD.STATUS)).toBe(1);
    expect(register.count(link.CMD.USER_INFO)).toBe(1);
  });

  it('initialize unanswered and not initialized is LINK_IN_DOUBT, never sent twice (the card may have rotated its PIN)', async () => {
    const { register, session } = await setup();
    const state = statefulRegister(register);
    register.ignoreCommands = 1;
    const error = await rejection(session.initialize(initData));
    expect(isGatewayError(error, 'LINK_IN_DOUBT')).toBe(true);
    expect(register.framesIn).toBe(3); // 2 packets ignored, 41 read back; nothing sent again
    expect(state.status.initialized).toBe(false);
  });

  it('throws LINK_IN_DOUBT when the state read back matches neither outcome', async () => {
    const { register, session } = await setup();
    const state = statefulRegister(register);
    register.on(link.CMD.INITIALIZE, () => {
      state.status = { ...state.status, initialized: true };
      state.info = { ...(state.info ?? { taxpayerNumber: '', taxpayerId: '', taxpayerName: '', officeCode: 0, fiscalCardNumber: '', declarationMode: 1, initializationDate: '2026-01-01', applicationStartDate: '2026-01-01', validUntil: '2027-01-01' }), taxpayerNumber: '9999999999999999', fiscalCardNumber: '1111111111111111' };
      return { silent: true };
    });
    const error = await rejection(session.initialize(initData));
    expect(isGatewayError(error, 'LINK_IN_DOUBT')).toBe(true);
    expect((error as { data: { found: unknown } }).data.found).toMatchObject({ taxpayerNumber: '9999999999999999' });
    expect(register.count(link.CMD.INITIALIZE)).toBe(1);
  });

  it('set time whose reply was lost: the clock read back tells it took effect', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.replyFaults = ['pass', 'drop']; // 3A before passes, 3B's OK is lost
    await session.setTime('2030-01-01T00:00:00');
    expect(register.count(link.CMD.SET_TIME)).toBe(1);
    expect(register.count(link.CMD.DATE_TIME)).toBe(2);
  });

  it('distribute whose reply was lost: the roll count grew by one, the roll is read back', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.replyFaults = ['pass', 'drop'];
    expect(await session.distributeInvoiceNumbers()).toEqual({ invoiceCode: '14403000000123456789', start: 1000, end: 1999 });
    expect(register.count(link.CMD.DISTRIBUTE_INVOICE_NUMBERS)).toBe(1);
  });

  it('distribute with no answer and no new roll on the register is LINK_IN_DOUBT, never sent twice (the user card may have given a roll out)', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.on(link.CMD.DISTRIBUTE_INVOICE_NUMBERS, () => ({ silent: true }));
    const error = await rejection(session.distributeInvoiceNumbers());
    expect(isGatewayError(error, 'LINK_IN_DOUBT')).toBe(true);
    expect(register.count(link.CMD.DISTRIBUTE_INVOICE_NUMBERS)).toBe(1);
  });

  it('a state-changing APDU whose reply was lost is LINK_IN_DOUBT at once, never re-sent', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CARD_APDU, () => ({ silent: true }));
    const verify = Uint8Array.of(0xc0, 0xf9, 0x00, 0x00, 0x08, 1, 2, 3, 4, 5, 6, 7, 8);
    expect(isGatewayError(await rejection(session.cardChannel('fiscal').transmit(verify)), 'LINK_IN_DOUBT')).toBe(true);
    expect(register.count(link.CMD.CARD_APDU)).toBe(1);
  });
});

describe('RegisterSession: card slots', () => {
  it('runs APDUs through 59/5B as a CardChannel, reads retried', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CARD_POWER_ON, (params) => ({ data: params[0] === 1 ? Uint8Array.of(0x3b, 0x02, 0x14, 0x50) : Uint8Array.of(0x3b, 0x00) }));
    const seen: Uint8Array[] = [];
    register.on(link.CMD.CARD_APDU, (params) => {
      const { slot, apdu } = link.cardApdu.request.decode(params);
      seen.push(apdu);
      if (slot !== 'fiscal') return { data: Uint8Array.of(0x6a, 0x82) };
      return { data: apdu[1] === 0xb0 ? Uint8Array.from([...new Uint8Array(255).fill(7), 0x90, 0x00]) : Uint8Array.of(0x90, 0x00) };
    });
    const fiscal = session.cardChannel('fiscal');
    expect(fiscal.description).toEqual({ kind: 'register-slot', reader: 'reg-1/fiscal' });
    expect(await fiscal.reset()).toEqual(Uint8Array.of(0x3b, 0x02, 0x14, 0x50));
    const select = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, 0x06, ...Buffer.from('TSAM01')]);
    expect(await fiscal.transmit(select)).toEqual(Uint8Array.of(0x90, 0x00));
    register.replyFaults = ['drop'];
    const read = await fiscal.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0xff));
    expect(read.length).toBe(257);
    expect(read.slice(-2)).toEqual(Uint8Array.of(0x90, 0x00));
    expect(await session.cardChannel('user').transmit(select)).toEqual(Uint8Array.of(0x6a, 0x82));
    expect(seen.length).toBe(4);
  });
});

describe('RegisterSession: closing', () => {
  it('fails a read with LINK_CLOSED when the link is cut mid-exchange', async () => {
    const { register, session, device } = await setup({ replyTimeoutMs: 1000 });
    register.on(link.CMD.STATUS, () => { setTimeout(() => device.cut(), 5); return { silent: true }; });
    expect(isGatewayError(await rejection(session.status()), 'LINK_CLOSED')).toBe(true);
  });

  it('a write whose link is cut after its final packet is LINK_IN_DOUBT, not merely closed', async () => {
    const { register, session, device } = await setup({ replyTimeoutMs: 1000 });
    register.on(link.CMD.SET_TIME, () => { setTimeout(() => device.cut(), 5); return { silent: true }; });
    register.on(link.CMD.DATE_TIME, () => ({ data: link.dateTime.response.encode('2026-11-22T08:00:00') }));
    const error = await rejection(session.setTime('2026-11-22T09:00:00'));
    expect(isGatewayError(error, 'LINK_IN_DOUBT')).toBe(true);
    expect((error as Error).cause).toMatchObject({ code: 'LINK_CLOSED' });
  });

  it('a write the register stays busy with beyond the limit is LINK_IN_DOUBT', async () => {
    const { register, session } = await setup({ busyLimitMs: 40 });
    statefulRegister(register);
    register.busyFrames = 8;
    register.busyGapMs = 15;
    expect(isGatewayError(await rejection(session.initialize(initData)), 'LINK_IN_DOUBT')).toBe(true);
  });

  it('close() lets the exchange in progress finish, fails later calls with LINK_CLOSED and closes the transport', async () => {
    const { register, session, host } = await setup();
    register.on(link.CMD.DATE_TIME, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { data: link.dateTime.response.encode('2026-11-22T08:00:00') };
    });
    const running = session.dateTime();
    const queued = session.dateTime();
    await new Promise((resolve) => setTimeout(resolve, 5)); // the first exchange is on the wire
    const closing = session.close();
    expect(await running).toBe('2026-11-22T08:00:00');
    expect(isGatewayError(await rejection(queued), 'LINK_CLOSED')).toBe(true);
    await closing;
    expect(isGatewayError(await rejection(session.status()), 'LINK_CLOSED')).toBe(true);
    expect(host.isOpen).toBe(false);
  });
});
