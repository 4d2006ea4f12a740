import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isGatewayError } from '../../../contracts/errors/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import type { ReplyFault } from './FakeRegister.js';
import { initData, invoices, statefulRegister, rejection, sessionSetup } from './fixtures.js';

const setup = sessionSetup();

describe('state-changing commands under random faults', () => {
  it('initialize is executed at most once, and success is only reported when the register is initialized', async () => {
    await fc.assert(fc.asyncProperty(
      fc.array(fc.constantFrom<ReplyFault>('pass', 'pass', 'drop', 'corrupt'), { maxLength: 8 }),
      fc.integer({ min: 0, max: 2 }),
      async (faults, ignored) => {
        const { register, session } = await setup({ replyTimeoutMs: 30, settleMs: 10 });
        const state = statefulRegister(register);
        let afterEffect = 0;
        const original = register.handlers.get(link.CMD.INITIALIZE)!;
        register.on(link.CMD.INITIALIZE, (params) => {
          if (state.status.initialized) afterEffect++;
          return original(params);
        });
        register.replyFaults = [...faults];
        register.ignoreCommands = ignored;
        try {
          await session.initialize(initData);
          expect(state.status.initialized).toBe(true);
          expect(state.info?.taxpayerNumber).toBe(initData.taxpayerNumber);
        } catch (error) {
          expect(isGatewayError(error), String(error)).toBe(true);
          // A lost reply must never be turned into "already initialized" by a blind second try.
          expect((error as { code: string }).code).not.toBe('LINK_ALREADY_INITIALIZED');
        }
        // Once it took effect, the command never reaches the register again.
        expect(afterEffect).toBe(0);
      },
    ), { numRuns: 25 });
  });
});

describe('other recoveries', () => {
  it('update taxpayer whose reply was lost: the fields read back show it took effect', async () => {
    const { register, session } = await setup();
    const state = statefulRegister(register);
    await session.initialize(initData);
    register.on(link.CMD.UPDATE_TAXPAYER, (params) => {
      const update = link.updateTaxpayer.request.decode(params);
      state.info = { ...state.info!, ...update };
      return { data: new Uint8Array(0) };
    });
    register.replyFaults = ['pass', 'drop']; // 38 before passes, 62's OK is lost
    await session.updateTaxpayer({ taxpayerName: '深圳市新名称有限公司', officeCode: 44030001, declarationMode: 1 });
    expect(register.count(link.CMD.UPDATE_TAXPAYER)).toBe(1);
    expect(state.info?.officeCode).toBe(44030001);
  });

  it('input invoice numbers whose command was lost: the roll is still only distributed, so it is sent again', async () => {
    const { register, session } = await setup();
    const state = statefulRegister(register);
    const roll = await session.distributeInvoiceNumbers();
    register.on(link.CMD.INPUT_INVOICE_NUMBERS, (params) => {
      const asked = link.inputInvoiceNumbers.request.decode(params);
      const held = state.rolls.find((r) => r.invoiceCode === asked.invoiceCode && r.start === asked.start);
      if (held === undefined) return { error: 0x29 };
      state.rolls[held.seq - 1] = { ...held, state: 'mounted' };
      return { data: new Uint8Array(0) };
    });
    register.ignoreCommands = 1;
    await session.inputInvoiceNumbers(roll);
    expect(register.count(link.CMD.INPUT_INVOICE_NUMBERS)).toBe(1);
    expect(state.rolls[0]!.state).toBe('mounted');
  });

  it('set time that never arrived: the clock still runs from before, so it is sent once more', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.ignoreCommands = 0;
    let swallowed = false;
    const original = register.handlers.get(link.CMD.SET_TIME)!;
    register.on(link.CMD.SET_TIME, (params) => (swallowed ? original(params) : ((swallowed = true), { silent: true })));
    await session.setTime('2031-05-05T10:00:00');
    expect(register.count(link.CMD.SET_TIME)).toBe(2);
  });

  it('gives up with LINK_IN_DOUBT when a write that surely did not happen is lost twice', async () => {
    const { register, session } = await setup();
    statefulRegister(register);
    register.on(link.CMD.SET_TIME, () => ({ silent: true }));
    expect(isGatewayError(await rejection(session.setTime('2030-01-01T00:00:00')), 'LINK_IN_DOUBT')).toBe(true);
    expect(register.count(link.CMD.SET_TIME)).toBe(2);
  });

  it('an unreadable state after a lost reply is LINK_IN_DOUBT, with the read-back failure recorded', async () => {
    const { register, session } = await setup({ retries: 1 });
    statefulRegister(register);
    register.on(link.CMD.INITIALIZE, () => ({ silent: true }));
    register.on(link.CMD.STATUS, () => ({ silent: true }));
    const error = await rejection(session.initialize(initData));
    expect(isGatewayError(error, 'LINK_IN_DOUBT')).toBe(true);
    expect((error as { data: { readBack: string } }).data.readBack).toBe('LINK_TIMEOUT');
  });
});

describe('baud switching', () => {
  it('switches, proves the new rate with a connect, and falls back when the new rate does not work', async () => {
    const { register, session } = await setup();
    let rate = 9600;
    register.on(link.CMD.CONNECT, () => ({ data: new Uint8Array(0) }));
    register.on(link.CMD.SWITCH_BAUD, () => ({ data: new Uint8Array(0) }));
    register.on(link.CMD.CAPABILITIES, () => ({ data: link.capabilities.response.encode({ protocolVersion: 1, baudRates: [9600, 115200], maxMessage: 4096, commands: [0x00, 0x70, 0x71] }) }));
    const applied: number[] = [];
    expect(await session.switchBaud(115200, 9600, async (baud) => { applied.push(baud); rate = baud; })).toBe(115200);
    expect(applied).toEqual([115200]);

    register.on(link.CMD.CONNECT, () => (rate === 460800 ? { silent: true } : { data: new Uint8Array(0) }));
    expect(await session.switchBaud(460800, 115200, async (baud) => { applied.push(baud); rate = baud; })).toBe(115200);
    expect(applied).toEqual([115200, 460800, 115200]);

    register.on(link.CMD.SWITCH_BAUD, () => ({ error: 0x73 }));
    expect(await rejection(session.switchBaud(921600, 115200, async () => undefined))).toMatchObject({ code: 'LINK_BAUD_UNSUPPORTED' });
  });
});

describe('firmware transfer', () => {
  it('re-sends an offset-addressed block whose reply was lost (it is idempotent) and reads the transfer state', async () => {
    const { register, session } = await setup();
    const image = Uint8Array.from({ length: 1000 }, (_, i) => (i * 7) & 0xff);
    const held = new Uint8Array(image.length);
    let received = 0;
    register.on(link.CMD.FIRMWARE, (params) => {
      switch (params[0]) {
        case link.FIRMWARE_SUB.begin: return { data: link.firmwareBegin.response.encode({ resumeOffset: received, maxBlock: 512 }) };
        case link.FIRMWARE_SUB.write: {
          const { offset, data } = link.firmwareWrite.request.decode(params);
          if (offset > received) return { error: 0x70 };
          held.set(data, offset);
          received = Math.max(received, offset + data.length);
          return { data: link.firmwareWrite.response.encode({ received }) };
        }
        case link.FIRMWARE_SUB.query: return { data: link.firmwareQuery.response.encode({ state: 'receiving', size: image.length, received, sha256: new Uint8Array(32), version: '2.5.0' }) };
        default: return { error: 0x20 };
      }
    });
    const { resumeOffset, maxBlock } = await session.firmwareBegin({ size: image.length, sha256: new Uint8Array(32), version: '2.5.0', model: 'SK-3000' });
    register.replyFaults = ['pass', 'pass', 'drop']; // the OK of the first 512-byte block (3 packets: NP, NP, OK)
    for (let offset = resumeOffset; offset < image.length; offset += maxBlock) {
      const { received: now } = await session.firmwareWrite({ offset, data: image.subarray(offset, offset + maxBlock) });
      expect(now).toBe(Math.min(image.length, offset + maxBlock));
    }
    expect(held).toEqual(image);
    expect((await session.firmwareQuery()).received).toBe(1000);
    const skipped = await rejection(session.firmwareWrite({ offset: 2000, data: Uint8Array.of(1) }));
    expect(skipped).toMatchObject({ code: 'LINK_FIRMWARE_OFFSET_REFUSED' });
  });
});

describe('reads by time range', () => {
  it('reports progress against the record count announced in the first packet', async () => {
    const { register, session } = await setup();
    const all = invoices(120);
    register.on(link.CMD.INVOICES_BY_TIME, () => ({ data: link.invoicesByTime.response.encode(all) }));
    const progress: [number, number | undefined][] = [];
    const got = [];
    for await (const page of session.invoicesByTime({ from: '2026-11-21T00:00:00', to: '2026-11-21T23:59:59' }, { onProgress: (d, t) => progress.push([d, t]) })) got.push(...page);
    expect(got).toEqual(all);
    expect(progress.every(([, total]) => total === 120)).toBe(true);
    expect(progress.at(-1)).toEqual([120, 120]);
  });

  it('stops between pages when cancelled', async () => {
    const { register, session } = await setup();
    const all = invoices(300);
    register.on(link.CMD.INVOICES_BY_INDEX, (params) => {
      const { from, count } = link.invoicesByIndex.request.decode(params);
      return { data: link.invoicesByIndex.response.encode(all.slice(from - 1, from - 1 + count)) };
    });
    const controller = new AbortController();
    const pages = [];
    const error = await rejection((async () => {
      for await (const page of session.invoicesByIndex({ from: 1, count: 300 }, { pageSize: 100, signal: controller.signal })) {
        pages.push(page);
        controller.abort();
      }
    })());
    expect(isGatewayError(error, 'CANCELLED')).toBe(true);
    expect(pages.length).toBe(1);
    expect(register.count(link.CMD.INVOICES_BY_INDEX)).toBe(1);
  });
});
