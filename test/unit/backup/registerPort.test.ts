import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedRegister, type SimulatedRegister } from '../../../fixtures/simulator/createSimulatedRegister.js';
import { RegisterSession } from '../../../src/devices/RegisterSession.js';
import { collectBackup } from '../../../src/services/backup/collectBackup.js';
import { compareWithDevice } from '../../../src/services/backup/compareWithDevice.js';
import { decodeRecordList, openRegisterBackupPort } from '../../../src/services/backup/registerBackupPort.js';
import { CMD, initializationHistory, invoicesByIndex } from '../../../protocols/gb-link/index.js';
import { handlerFor } from '../../../fixtures/simulator/CommandHandler.js';
import { ErCode, RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import fc from 'fast-check';
import { tempStore } from './sampleBackup.js';

const open: { register: SimulatedRegister; session: RegisterSession }[] = [];

/** A seeded register on the memory line, answering at once (no line time), and a session on it. */
async function seeded(days: number, invoicesPerDay: number, extra: Parameters<typeof createSimulatedRegister>[0] = {}) {
  const register = await createSimulatedRegister({ seed: 3, history: { days, invoicesPerDay }, timing: { timed: false }, ...extra });
  const session = await RegisterSession.open(register.transport, { deviceId: 'sim' });
  open.push({ register, session });
  return { register, session };
}

afterEach(async () => {
  for (const { register, session } of open.splice(0)) {
    await session.close();
    await register.close();
  }
});

async function lines(dir: string, kind: string): Promise<{ seq: number; record: Record<string, unknown> }[]> {
  return (await readFile(join(dir, `${kind}.jsonl`), 'utf8')).trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('openRegisterBackupPort over a simulated register', () => {
  it('backs up everything with the counts the register holds, no problems, and cards from its slots', async () => {
    const { register, session } = await seeded(70, 6);
    const store = await tempStore();
    const port = await openRegisterBackupPort(session, { deviceId: 'sim', pageSize: 100, dailyWindowDays: 20 });
    expect(port.device).toMatchObject({ id: 'sim', machineNumber: register.state.identity.machineNumber });
    const progress: { records: number; expectedTotal?: number }[] = [];
    const { dir, manifest } = await collectBackup(port, store, { onProgress: (p) => progress.push(p) });
    const memory = register.simulator.memory.counts();
    // Progress by records read, against what 72 announced (plus the single-record answers).
    const counts72 = await session.recordCounts();
    const announced = memory.invoices + memory.dailyRecords + memory.declarations + memory.rolls + counts72.rollSummaries + memory.initializations + 4;
    expect(progress.every((p) => p.expectedTotal === announced)).toBe(true);
    expect(progress.filter((p) => p.records < announced).length).toBeGreaterThan(5);
    expect(progress.at(-1)!.records).toBeGreaterThanOrEqual(announced);
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds.invoices).toMatchObject({ records: memory.invoices, expected: memory.invoices });
    expect(manifest.kinds.daily).toMatchObject({ records: memory.dailyRecords, expected: memory.dailyRecords });
    expect(manifest.kinds.declarations.records).toBe(memory.declarations);
    expect(manifest.kinds.rolls.records).toBe(memory.rolls);
    expect(manifest.kinds['init-history']).toMatchObject({ records: 1, expected: 1 });
    expect(manifest.kinds['roll-summaries']).toMatchObject({ records: register.state.fiscal.rollUsage.length, expected: counts72.rollSummaries });
    expect(manifest.kinds.daily.firstDate).toBe(register.history!.firstDay.replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3'));
    expect(manifest.kinds['cards/fiscal-EF02'].records).toBe(1);
    expect(manifest.kinds['cards/user-EF03'].records).toBeGreaterThan(0);
    const invoices = await lines(dir, 'invoices');
    expect(invoices.map((l) => l.record.seq)).toEqual(Array.from({ length: memory.invoices }, (_, i) => i + 1));
    expect((await store.verify(manifest.id)).ok).toBe(true);
  });

  it('names a corrupted invoice and the daily record it no longer matches, and the register\'s own fault report', async () => {
    const { register, session } = await seeded(40, 6);
    const index = register.state.fiscal.invoices.findIndex((invoice, i) => i > 20 && invoice.kind === 'normal');
    const day = register.state.fiscal.invoices[index]!.issuedAt.slice(0, 8).replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
    register.simulator.corruptRecord('invoice', index);
    const { manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false }), await tempStore());
    const found = manifest.problems.map((p) => [p.check, p.kind, p.seq]);
    expect(found).toContainEqual(['record-check', 'invoices', index]);
    expect(found).toContainEqual(['self-check', 'status', undefined]);
    const daily = manifest.problems.find((p) => p.check === 'cross-check' && p.kind === 'daily');
    expect(daily?.data?.date).toBe(day);
  });

  it('names a corrupted daily record and the declaration that summed it', async () => {
    const { register, session } = await seeded(70, 4);
    register.simulator.corruptRecord('daily', 10);
    const stored = register.state.fiscal.dailyRecords[10]!.date;
    const date = stored.replace(/(\d{4})(\d{2})(\d{2})/, '$1-$2-$3');
    const declaration = register.state.fiscal.declarations.findIndex((d) => d.start <= stored && stored <= d.end);
    expect(declaration).toBeGreaterThanOrEqual(0);
    const { manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false }), await tempStore());
    const problems = manifest.problems.filter((p) => p.check === 'cross-check');
    expect(problems.map((p) => [p.kind, p.seq])).toEqual([['daily', 10], ['declarations', declaration]]);
    expect(problems[0]!.message).toContain(date);
  });

  it('compares the last records of a backup with the register, and sees a change', async () => {
    const { register, session } = await seeded(40, 5);
    const store = await tempStore();
    const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false }), store);
    const fresh = await compareWithDevice(manifest, await openRegisterBackupPort(session, { cards: false }), new AbortController().signal, dir);
    expect(fresh).toMatchObject({ matches: true, differences: [], changedRecords: [] });
    expect(fresh.checkedRecords.map((r) => r.kind).sort()).toEqual(['daily', 'declarations', 'init-history', 'invoices', 'roll-summaries', 'rolls']);
    register.simulator.corruptRecord('invoice', register.state.fiscal.invoices.length - 1);
    const changed = await compareWithDevice(manifest, await openRegisterBackupPort(session, { cards: false }), new AbortController().signal, dir);
    expect(changed.matches).toBe(false);
    expect(changed.changedRecords.map((r) => [r.kind, r.seq])).toEqual([['invoices', manifest.kinds.invoices.records - 1]]);
  });

  it('backs up an uninitialized register: identity, status, clock and its cards', async () => {
    const register = await createSimulatedRegister({ seed: 5, timing: { timed: false } });
    const session = await RegisterSession.open(register.transport);
    open.push({ register, session });
    const { manifest } = await collectBackup(await openRegisterBackupPort(session), await tempStore());
    expect(Object.keys(manifest.kinds).filter((k) => !k.startsWith('cards/')).sort()).toEqual(['counts', 'datetime', 'factory', 'status']);
    expect(manifest.device.taxpayerNumber).toBeUndefined();
    expect(manifest.problems).toEqual([]);
  });
});

describe('initialization history and roll summaries in a backup', () => {
  it('reads every initialization-history record and roll summary, as many as 72 counts, and keeps them decoded', async () => {
    const { register, session } = await seeded(50, 5);
    await session.updateTaxpayer({ taxpayerName: '备份测试更名有限公司', officeCode: 44030500, declarationMode: 1 });
    const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false, pageSize: 1 }), await tempStore());
    const counts = await session.recordCounts();
    expect(counts.initializations).toBe(2);
    expect(manifest.problems).toEqual([]);
    expect(manifest.kinds['init-history']).toMatchObject({ records: 2, expected: counts.initializations, firstNumber: 1, lastNumber: 2 });
    const history = await lines(dir, 'init-history');
    expect(history.map((l) => [l.record.seq, l.record.kind, l.record.taxpayerName])).toEqual([
      [1, 'initialize', register.history!.profile.taxpayerName], [2, 'registration-change', '备份测试更名有限公司'],
    ]);
    const summaries = await lines(dir, 'roll-summaries');
    expect(summaries.map((l) => l.record.seq)).toEqual(register.state.fiscal.rollUsage.map((_, i) => i + 1));
    expect(summaries.map((l) => [l.record.invoiceCode, l.record.start, l.record.end]))
      .toEqual(register.state.fiscal.rollUsage.map((u) => [u.invoiceCode, u.start, u.end]));
  });

  it('names an init-history count that differs from 72\'s, and a register without 73, yet commits the backup', async () => {
    const short = handlerFor(initializationHistory, () => []);
    const { session } = await seeded(20, 3, { handlers: [short] });
    const { manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false }), await tempStore());
    expect(manifest.problems.map((p) => [p.check, p.kind])).toEqual([['count', 'init-history']]);
    expect(manifest.problems[0]!.message).toMatch(/1/);

    const publicFirmware = { code: CMD.INITIALIZATION_HISTORY, handle: async () => { throw new RegisterRefusal(ErCode.unknownCommand, 'no 73'); } };
    const other = await seeded(20, 3, { handlers: [publicFirmware] });
    const without = await collectBackup(await openRegisterBackupPort(other.session, { cards: false }), await tempStore());
    expect(without.manifest.problems.map((p) => [p.check, p.kind])).toEqual([['read', 'init-history'], ['count', 'init-history']]);
    expect(without.manifest.kinds.invoices.records).toBe(other.register.state.fiscal.invoices.length);
  });

  it('a roll summary that grows on the register is not a change; another range is', async () => {
    const { register, session } = await seeded(30, 4);
    const store = await tempStore();
    const { dir, manifest } = await collectBackup(await openRegisterBackupPort(session, { cards: false }), store);
    const usage = register.simulator.state.fiscal.rollUsage.at(-1)!;
    const before = usage.validCount;
    register.simulator.issueInvoice({ kind: 'normal', lines: [{ taxIndex: register.state.fiscal.initializations[0]!.taxItems[0]!.index, amount: 300 }] });
    expect(usage.validCount).toBe(before + 1);
    const grown = await compareWithDevice(manifest, await openRegisterBackupPort(session, { cards: false }), new AbortController().signal, dir);
    expect(grown.checkedRecords).toContainEqual({ kind: 'roll-summaries', seq: manifest.kinds['roll-summaries']!.records - 1, outcome: 'same' });
    register.simulator.state.fiscal.rollUsage.at(-1)!.end += 1;
    const moved = await compareWithDevice(manifest, await openRegisterBackupPort(session, { cards: false }), new AbortController().signal, dir);
    expect(moved.changedRecords.map((r) => r.kind)).toContain('roll-summaries');
  });
});

describe('decodeRecordList', () => {
  it('keeps the good records of an answer and names the damaged one', () => {
    const invoice = (seq: number) => ({
      seq, invoiceCode: '14403000000123456789', invoiceNumber: seq, type: 'normal' as const, issuedAt: '2026-11-21T12:01:33',
      items: [{ taxIndex: 1, amount: 100 }], total: 100, fiscalCode: '12345678900987654321',
    });
    const raw = invoicesByIndex.response.encode([invoice(1), invoice(2), invoice(3)]);
    raw[4 + 68 + 18] = 9; // invoice type of the second record
    const { records, errors } = decodeRecordList(raw, invoicesByIndex.response);
    expect(records.map((r) => r.seq)).toEqual([1, 3]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^record 2 of the answer: LINK_PAYLOAD_INVALID/);
  });

  it('reports, never throws, on random and truncated answers', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (raw) => {
      const { records, errors } = decodeRecordList(raw, invoicesByIndex.response);
      const count = raw.length >= 4 ? new DataView(raw.buffer, raw.byteOffset, 4).getUint32(0) : -1;
      if (count !== records.length) expect(errors.length).toBeGreaterThan(0);
    }));
  });
});
