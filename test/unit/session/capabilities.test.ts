import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import * as link from '../../../protocols/gb-link/index.js';
import type { InvoiceRecord } from '../../../protocols/gb-link/index.js';
import { baseStatus, rejection, sessionSetup } from './fixtures.js';
import type { FakeRegister } from './FakeRegister.js';

const setup = sessionSetup();

const caps = (commands: number[], maxMessage = 1 << 20) => ({
  data: link.capabilities.response.encode({ protocolVersion: 1, baudRates: [9600, 115200], maxMessage, commands }),
});
const counts = { invoices: 3, dailyRecords: 0, declarations: 0, distributedRolls: 0, rollSummaries: 0, initializations: 1 };

function sent(register: FakeRegister, cmd: number): Uint8Array[] {
  return register.executed.filter((e) => e.cmd === cmd).map((e) => e.params);
}

function invoice(seq: number): InvoiceRecord {
  return {
    seq, invoiceCode: '14403000000123456789', invoiceNumber: 1000 + seq, type: 'normal', issuedAt: '2026-11-21T12:01:33',
    items: [{ taxIndex: 1, amount: 100 }], total: 100, fiscalCode: '12345678900987654321',
  };
}

/** A register answering 3F from `held` invoices, refusing with ER 22 any answer longer than `maxAnswer` bytes. */
function serveInvoices(register: FakeRegister, held: number, maxAnswer = Infinity): void {
  register.on(link.CMD.INVOICES_BY_INDEX, (params) => {
    const { from, count } = link.invoicesByIndex.request.decode(params);
    const records = Array.from({ length: Math.max(0, Math.min(count, held - from + 1)) }, (_, i) => invoice(from + i));
    const data = link.invoicesByIndex.response.encode(records);
    return data.length > maxAnswer ? { error: link.ER.BAD_LENGTH } : { data };
  });
}

describe('capabilities drive the extensions (SPEC.md §5.9)', () => {
  it('asks 70 once per connection, and sends 72, 73 and 3C only as 70 lists them', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CAPABILITIES, () => caps([0x00, 0x37, 0x41, 0x70, 0x73]));
    register.on(link.CMD.RECORD_COUNTS, () => ({ data: link.recordCounts.response.encode(counts) }));
    register.on(link.CMD.INITIALIZATION_HISTORY, () => ({ data: link.initializationHistory.response.encode([]) }));
    register.on(link.CMD.ROLL_SUMMARIES, () => ({ data: link.rollSummaries.response.encode([]) }));
    expect(await rejection(session.recordCounts())).toMatchObject({ code: 'LINK_EXTENSION_NOT_OFFERED', data: { command: 0x72 } });
    expect(await rejection((async () => { for await (const _ of session.rollSummaries({ from: 1, count: 1 })) void _; })()))
      .toMatchObject({ code: 'LINK_EXTENSION_NOT_OFFERED', data: { command: 0x3c } });
    for await (const page of session.initializationHistory({ from: 1, count: 1 })) expect(page).toEqual([]);
    expect((await session.capabilities()).commands).toContain(0x73);
    expect(sent(register, link.CMD.CAPABILITIES)).toHaveLength(1);
    expect(sent(register, link.CMD.RECORD_COUNTS)).toHaveLength(0);
    expect(sent(register, link.CMD.ROLL_SUMMARIES)).toHaveLength(0);
    expect(sent(register, link.CMD.INITIALIZATION_HISTORY)).toHaveLength(1);
  });

  it('a register answering ER 20 to 70 is public firmware: no extension is ever sent, and 70 is not asked again', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.RECORD_COUNTS, () => ({ data: link.recordCounts.response.encode(counts) }));
    const offered = await session.extensions();
    expect(offered.publicFirmware).toBe(true);
    expect(offered.offers(link.CMD.STATUS)).toBe(true);
    for (const code of [0x3c, 0x71, 0x72, 0x73, 0x74, 0x7f]) expect(offered.offers(code)).toBe(false);
    expect(await rejection(session.capabilities())).toMatchObject({ code: 'LINK_UNKNOWN_COMMAND' });
    expect(await rejection(session.recordCounts())).toMatchObject({ code: 'LINK_EXTENSION_NOT_OFFERED' });
    expect(await rejection(session.switchBaud(115200, 9600, async () => undefined))).toMatchObject({ code: 'LINK_EXTENSION_NOT_OFFERED' });
    expect(register.executed.map((e) => e.cmd)).toEqual([link.CMD.CAPABILITIES]);
  });

  it('a 70 lost to a timeout is not taken for public firmware: it is asked again', async () => {
    const { register, session } = await setup({ retries: 0 });
    register.on(link.CMD.CAPABILITIES, () => ({ silent: true }));
    expect(await rejection(session.extensions())).toMatchObject({ code: 'LINK_TIMEOUT' });
    register.on(link.CMD.CAPABILITIES, () => caps([0x70, 0x72]));
    expect((await session.extensions()).offers(0x72)).toBe(true);
  });
});

describe('the minimum a register must answer (SPEC.md §5.0)', () => {
  const answering = (register: FakeRegister) => {
    register.on(link.CMD.CONNECT, () => ({ data: new Uint8Array(0) }));
    register.on(link.CMD.FACTORY_DATA, () => ({
      data: link.factoryData.response.encode({
        machineNumber: '1234567890123456', model: 'SK', hardwareRevision: 'B2', firmwareVersion: '2.4.1', bootloaderVersion: '1.1.0', productionDate: null,
      }),
    }));
    register.on(link.CMD.STATUS, () => ({ data: link.status.response.encode(baseStatus) }));
    register.on(link.CMD.USER_INFO, () => ({ error: link.ER.NOT_INITIALIZED }));
    register.on(link.CMD.DATE_TIME, () => ({ data: link.dateTime.response.encode('2026-11-22T08:30:05') }));
  };

  it('serves a register that answers 00, 37, 41, 3A and 38 (ER 10 before initialization), on public firmware, checking once', async () => {
    const { register, session } = await setup();
    answering(register);
    await session.requireMinimum();
    await session.requireMinimum();
    expect(register.executed.map((e) => e.cmd)).toEqual([0x00, 0x37, 0x41, 0x38, 0x3a, 0x70]);
  });

  it('refuses a register without 41, or whose 37 is not the layout of §5.2, naming the command', async () => {
    const first = await setup();
    answering(first.register);
    first.register.handlers.delete(link.CMD.STATUS);
    const error = await rejection(first.session.requireMinimum());
    expect(isGatewayError(error, 'LINK_REGISTER_BELOW_MINIMUM')).toBe(true);
    expect((error as Error).message).toContain('command 41');
    expect((error as Error).message).toContain('00, 37, 38, 3A, 41');

    const second = await setup();
    answering(second.register);
    second.register.on(link.CMD.FACTORY_DATA, () => ({ data: new Uint8Array(30) }));
    expect(await rejection(second.session.requireMinimum())).toMatchObject({ code: 'LINK_REGISTER_BELOW_MINIMUM', data: { command: 0x37 } });
  });
});

describe('page sizes from the max message, and ER 22 (SPEC.md §5.9, §6)', () => {
  it('with 4096 advertised, never asks 3F for more invoices than fit in 4096 bytes, nor 44 for more days', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CAPABILITIES, () => caps([0x70], 4096));
    serveInvoices(register, 500);
    register.on(link.CMD.DAILY_RECORDS, () => ({ data: link.dailyRecords.response.encode([]) }));
    const read: number[] = [];
    for await (const page of session.invoicesByIndex({ from: 1, count: 500 })) read.push(...page.map((i) => i.seq));
    expect(read).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
    const fit = Math.floor((4096 - 4) / 68);
    for (const params of sent(register, link.CMD.INVOICES_BY_INDEX)) expect(link.invoicesByIndex.request.decode(params).count).toBeLessThanOrEqual(fit);
    for await (const page of session.dailyRecords({ from: '2026-01-01', to: '2026-03-31' })) void page;
    const windows = sent(register, link.CMD.DAILY_RECORDS).map((p) => link.dailyRecords.request.decode(p));
    const days = (w: { from: string; to: string }) => (Date.parse(w.to) - Date.parse(w.from)) / 86_400_000 + 1;
    expect(windows.reduce((n, w) => n + days(w), 0)).toBe(90);
    for (const w of windows) expect(days(w) * 192 + 4).toBeLessThanOrEqual(4096);
  });

  it('after ER 22 shrinks the page and goes on, never repeating the refused request', async () => {
    const { register, session } = await setup();
    serveInvoices(register, 300, 30 * 68 + 4);
    const read: number[] = [];
    for await (const page of session.invoicesByIndex({ from: 1, count: 300 }, { pageSize: 256 })) read.push(...page.map((i) => i.seq));
    expect(read).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    const requests = sent(register, link.CMD.INVOICES_BY_INDEX).map((p) => link.invoicesByIndex.request.decode(p));
    const keys = requests.map((r) => `${r.from}/${r.count}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(requests.slice(0, 5).map((r) => r.count)).toEqual([256, 128, 64, 32, 16]);
    // Once a size works it is kept: no page bigger than the last refused one is asked again.
    expect(requests.slice(5).every((r) => r.count <= 16)).toBe(true);
  });

  it('a single record still too long fails with LINK_BAD_LENGTH naming the command, after one request', async () => {
    const { register, session } = await setup();
    serveInvoices(register, 3, 10);
    const error = await rejection((async () => { for await (const page of session.invoicesByIndex({ from: 1, count: 1 })) void page; })());
    expect(error).toMatchObject({ code: 'LINK_BAD_LENGTH', data: { command: 0x3f } });
    expect(sent(register, link.CMD.INVOICES_BY_INDEX)).toHaveLength(1);
  });

  it('never sends a command longer than 70\'s max message (it holds both ways)', async () => {
    const { register, session } = await setup();
    register.on(link.CMD.CAPABILITIES, () => caps([0x70], 4096));
    register.on(link.CMD.FIRMWARE, () => ({ data: link.firmwareWrite.response.encode({ received: 0 }) }));
    await session.extensions();
    const error = await rejection(session.firmwareWrite({ offset: 0, data: new Uint8Array(4100) }));
    expect(error).toMatchObject({ code: 'LINK_BAD_LENGTH', data: { command: 0x64, maxMessage: 4096 } });
    expect(sent(register, link.CMD.FIRMWARE)).toHaveLength(0);
    await session.firmwareWrite({ offset: 0, data: new Uint8Array(4000) });
    expect(sent(register, link.CMD.FIRMWARE)).toHaveLength(1);
  });

  it('ER 22 to a write is not re-sent (the register refused it whole); ER 1F is', async () => {
    const { register, session } = await setup();
    let calls = 0;
    register.on(link.CMD.UPDATE_TAXPAYER, () => (++calls === 1 ? { error: link.ER.CRC_ERROR } : { error: link.ER.BAD_LENGTH }));
    expect(await rejection(session.execute(link.updateTaxpayer, { taxpayerName: '测试', officeCode: 1, declarationMode: 1 }))).toMatchObject({ code: 'LINK_BAD_LENGTH' });
    expect(calls).toBe(2);
  });
});
