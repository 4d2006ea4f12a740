import { describe, expect, it } from 'vitest';
import { checkDailyAgainstInvoices, checkDeclarationsAgainstDaily, checkInvoiceAmounts, type PeriodTotals } from '../../../src/services/backup/checks/checkSalesTotals.js';

const sale = (seq: number, date: string, type: 'normal' | 'return' | 'void', items: [number, number][], total = items.reduce((s, [, a]) => s + a, 0)) =>
  ({ seq, date, sale: { type, items: items.map(([taxIndex, amount]) => ({ taxIndex, amount })), total } });

const day = (date: string, valid: number[], returned = [0, 0, 0, 0, 0, 0], counts = { validCount: 1, returnCount: 0, voidCount: 0 }): PeriodTotals => ({
  from: date, to: date, ...counts, taxIndex: [1, 2, 0, 0, 0, 0], validAmounts: valid, returnAmounts: returned,
});

describe('sales cross-checks', () => {
  it('names an invoice whose total is not the sum of its items, and a void that carries an amount', () => {
    const problems = checkInvoiceAmounts([sale(0, '2026-01-01', 'normal', [[1, 100]]), sale(1, '2026-01-01', 'normal', [[1, 100]], 104), sale(2, '2026-01-01', 'void', [], 5)]);
    expect(problems.map((p) => [p.seq, p.data?.what])).toEqual([[1, 'total'], [2, 'void-amount']]);
  });

  it('matches daily records with their day\'s invoices per tax item, and names the day that differs', () => {
    const sales = [
      sale(0, '2026-01-01', 'normal', [[1, 100], [2, 50]]), sale(1, '2026-01-01', 'void', []),
      sale(2, '2026-01-02', 'normal', [[2, 70]]), sale(3, '2026-01-02', 'return', [[2, 20]]),
    ];
    const good = [
      { seq: 0, totals: day('2026-01-01', [100, 50, 0, 0, 0, 0], undefined, { validCount: 1, returnCount: 0, voidCount: 1 }) },
      { seq: 1, totals: day('2026-01-02', [0, 70, 0, 0, 0, 0], [0, 20, 0, 0, 0, 0], { validCount: 1, returnCount: 1, voidCount: 0 }) },
      { seq: 2, totals: day('2026-01-03', [0, 0, 0, 0, 0, 0], undefined, { validCount: 0, returnCount: 0, voidCount: 0 }) },
    ];
    expect(checkDailyAgainstInvoices(good, sales)).toEqual([]);
    const bad = [good[0]!, { seq: 1, totals: day('2026-01-02', [0, 86, 0, 0, 0, 0], [0, 20, 0, 0, 0, 0], { validCount: 1, returnCount: 1, voidCount: 0 }) }];
    const problems = checkDailyAgainstInvoices(bad, sales);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'cross-check', kind: 'daily', seq: 1, data: { date: '2026-01-02' } });
    expect(problems[0]!.message).toContain('valid amount of tax item 2 86, its invoices give 70');
  });

  it('matches declarations with the daily records of their period and their own totals', () => {
    const dailies = [0, 1, 2].map((i) => ({ seq: i, totals: day(`2026-01-0${i + 1}`, [10, 5, 0, 0, 0, 0]) }));
    const declaration = (validAmounts: number[], validTotal: number): PeriodTotals => ({
      from: '2026-01-01', to: '2026-01-03', validCount: 3, returnCount: 0, voidCount: 0, taxIndex: [1, 2, 0, 0, 0, 0],
      validAmounts, returnAmounts: [0, 0, 0, 0, 0, 0], validTotal, returnTotal: 0,
    });
    expect(checkDeclarationsAgainstDaily([{ seq: 0, totals: declaration([30, 15, 0, 0, 0, 0], 45) }], dailies)).toEqual([]);
    const problems = checkDeclarationsAgainstDaily([{ seq: 0, totals: declaration([30, 15, 0, 0, 0, 0], 61) }, { seq: 1, totals: declaration([30, 16, 0, 0, 0, 0], 46) }], dailies);
    expect(problems.map((p) => [p.check, p.seq])).toEqual([['record-check', 0], ['cross-check', 1]]);
  });
});
