import { describe, expect, it } from 'vitest';
import { recordCounts } from '../../../protocols/gb-link/payloads/identity.js';
import { initializationHistory } from '../../../protocols/gb-link/payloads/initializationHistory.js';
import { rollSummaries } from '../../../protocols/gb-link/payloads/records.js';
import { updateTaxpayer } from '../../../protocols/gb-link/payloads/taxpayer.js';
import { ER } from '../../../protocols/gb-link/errorCodes.js';
import { RegisterAnswerError } from './hostLink.js';
import { startHarness } from './simulatorHarness.js';

const untimed = { simulator: { timing: { timed: false } } };
const iso = (date: string) => `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`;

describe('simulated register: 3C roll usage summaries', () => {
  it('one summary per mounted roll, in mounting order, agreeing with the invoices issued from it; 72 counts them', async () => {
    const { sim, link } = await startHarness({ ...untimed, history: { days: 120, invoicesPerDay: 8 } });
    const counts = await link.call(recordCounts, undefined);
    expect(counts.rollSummaries).toBe(sim.state.fiscal.rollUsage.length);
    expect(counts.rollSummaries).toBeGreaterThan(1);
    const summaries = await link.call(rollSummaries, { from: 1, count: counts.rollSummaries + 5 });
    expect(summaries.map((s) => s.seq)).toEqual(Array.from({ length: counts.rollSummaries }, (_, i) => i + 1));
    for (const summary of summaries) {
      const invoices = sim.state.fiscal.invoices.filter((inv) => inv.invoiceCode === summary.invoiceCode && inv.number >= summary.start && inv.number <= summary.end);
      const of = (kind: string) => invoices.filter((inv) => inv.kind === kind);
      expect(summary.validCount).toBe(of('normal').length);
      expect(summary.returnCount).toBe(of('return').length);
      expect(summary.voidCount).toBe(of('void').length);
      expect(summary.validTotal).toBe(of('normal').reduce((n, inv) => n + inv.total, 0));
      expect(summary.returnTotal).toBe(of('return').reduce((n, inv) => n + inv.total, 0));
      const usedUp = invoices.at(-1)?.number === summary.end;
      expect(summary.closedOn).toBe(usedUp ? iso(invoices.at(-1)!.issuedAt.slice(0, 8)) : null);
    }
    expect(summaries.slice(0, -1).every((s) => s.closedOn !== null)).toBe(true);
    expect(summaries.at(-1)!.closedOn).toBeNull();
    expect(await link.call(rollSummaries, { from: 2, count: 1 })).toEqual([summaries[1]]);
    expect(await link.call(rollSummaries, { from: counts.rollSummaries + 1, count: 10 })).toEqual([]);
    expect(sim.internalErrors).toEqual([]);
  });

  it('refuses 3C and 73 before initialization (ER 10)', async () => {
    const { link } = await startHarness(untimed);
    await expect(link.call(rollSummaries, { from: 1, count: 1 })).rejects.toEqual(new RegisterAnswerError(ER.NOT_INITIALIZED));
    await expect(link.call(initializationHistory, { from: 1, count: 1 })).rejects.toEqual(new RegisterAnswerError(ER.NOT_INITIALIZED));
  });
});

describe('simulated register: 73 initialization history', () => {
  it('the initialization, then one record per registration change (62), each the whole data then in force', async () => {
    const { sim, link, seed } = await startHarness({ ...untimed, history: { days: 10, invoicesPerDay: 2 } });
    await link.call(updateTaxpayer, { taxpayerName: '更名后的示例公司', officeCode: 44030500, declarationMode: 1 });
    const counts = await link.call(recordCounts, undefined);
    expect(counts.initializations).toBe(2);
    const history = await link.call(initializationHistory, { from: 1, count: 64 });
    expect(history.map((r) => [r.seq, r.kind])).toEqual([[1, 'initialize'], [2, 'registration-change']]);
    const [first, change] = history as [typeof history[0], typeof history[0]];
    const profile = seed!.profile;
    expect(first).toMatchObject({
      machineNumber: sim.state.identity.machineNumber, fiscalCardNumber: profile.fiscalCardNumber, taxpayerNumber: profile.taxpayerNumber,
      taxpayerId: profile.taxpayerId, taxpayerName: profile.taxpayerName, officeCode: profile.officeCode,
      recordedAt: `${iso(seed!.initializedOn)}T08:00:00`, issueDeadline: iso(profile.limits.issueDeadline),
      singleInvoiceLimit: profile.limits.singleInvoiceLimit, taxIndex: profile.taxIndex,
      taxItems: profile.taxItems.map((item) => ({ index: item.index, itemCode: item.code, rate: item.rate, nameZh: item.nameZh, nameEn: item.nameEn })),
    });
    expect(change).toMatchObject({ taxpayerName: '更名后的示例公司', officeCode: 44030500, taxpayerId: profile.taxpayerId, taxItems: first.taxItems });
    expect(await link.call(initializationHistory, { from: 2, count: 1 })).toEqual([change]);
    expect(sim.internalErrors).toEqual([]);
  });
});
