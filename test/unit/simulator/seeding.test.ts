import { describe, expect, it } from 'vitest';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { seedHistory } from '../../../fixtures/simulator/seedHistory.js';
import { FiscalMemory } from '../../../fixtures/simulator/FiscalMemory.js';
import { addDays } from '../../../fixtures/simulator/registerTime.js';
import { RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import type { RegisterState } from '../../../fixtures/simulator/state/schema.js';

function seeded(days: number, invoicesPerDay: number, seed = 9): RegisterState {
  const state = createFactoryState({ seed });
  seedHistory(state, { days, invoicesPerDay, today: '20261122', seed });
  return state;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

describe('seeded history', () => {
  const state = seeded(730, 20);
  const { fiscal } = state;
  const memory = new FiscalMemory(fiscal);

  it('has one signed daily record per day from initialization to yesterday', () => {
    expect(fiscal.dailyRecords).toHaveLength(730);
    expect(fiscal.dailyRecords[0]!.date).toBe('20241122');
    expect(fiscal.dailyRecords.at(-1)!.date).toBe('20261121');
    fiscal.dailyRecords.forEach((daily, i) => {
      if (i > 0) expect(daily.date).toBe(addDays(fiscal.dailyRecords[i - 1]!.date, 1));
    });
    expect(new Set(fiscal.dailyRecords.map((d) => d.signature)).size).toBe(730);
    expect(fiscal.invoices.length).toBeGreaterThan(730 * 20 * 0.85);
  });

  it('daily records sum exactly the invoices of their day', () => {
    for (const daily of fiscal.dailyRecords) {
      const invoices = memory.invoicesOfDay(daily.date);
      expect(daily.validCount).toBe(invoices.filter((i) => i.kind === 'normal').length);
      expect(daily.returnCount).toBe(invoices.filter((i) => i.kind === 'return').length);
      expect(daily.voidCount).toBe(invoices.filter((i) => i.kind === 'void').length);
      const valid = sum(invoices.filter((i) => i.kind === 'normal').map((i) => i.total));
      expect(sum(daily.validAmounts)).toBe(valid);
    }
  });

  it('declarations follow each other month by month and sum their daily records', () => {
    expect(fiscal.declarations).toHaveLength(24);
    fiscal.declarations.forEach((declaration, i) => {
      const expectedStart = i === 0 ? fiscal.initializations[0]!.recordedAt.slice(0, 8) : addDays(fiscal.declarations[i - 1]!.end, 1);
      expect(declaration.start).toBe(expectedStart);
      const days = memory.dailyRecordsBetween(declaration.start, declaration.end);
      expect(declaration.validCount).toBe(sum(days.map((d) => d.validCount)));
      expect(declaration.validTotal).toBe(sum(days.map((d) => sum(d.validAmounts))));
      expect(declaration.returnTotal).toBe(sum(days.map((d) => sum(d.returnAmounts))));
    });
    expect(fiscal.declaredFlag).toBe(false);
  });

  it('numbers are consecutive within each roll, voids included, and rolls are used one after another', () => {
    const byRoll = new Map<string, number[]>();
    for (const invoice of fiscal.invoices) {
      const roll = fiscal.rolls.find((r) => r.invoiceCode === invoice.invoiceCode && invoice.number >= r.start && invoice.number <= r.end);
      expect(roll).toBeDefined();
      const key = `${roll!.invoiceCode}/${roll!.start}`;
      byRoll.set(key, [...(byRoll.get(key) ?? []), invoice.number]);
    }
    for (const [key, numbers] of byRoll) {
      const start = Number(key.split('/')[1]);
      expect(numbers).toEqual(numbers.map((_, i) => start + i));
    }
    const usage = fiscal.rollUsage;
    expect(usage.slice(0, -1).every((u) => u.next === u.end + 1)).toBe(true);
    for (const u of usage) {
      const invoices = fiscal.invoices.filter((i) => i.invoiceCode === u.invoiceCode && i.number >= u.start && i.number <= u.end);
      expect(u.validCount + u.returnCount + u.voidCount).toBe(invoices.length);
    }
    expect(fiscal.invoices.some((i) => i.kind === 'void')).toBe(true);
  });

  it('returns refer to an earlier sale and never exceed it; voids carry no amount', () => {
    const returns = fiscal.invoices.filter((i) => i.kind === 'return');
    expect(returns.length).toBeGreaterThan(0);
    for (const ret of returns) {
      const original = fiscal.invoices.filter((i) => i.kind === 'normal' && i.number === ret.returnOf && i.issuedAt <= ret.issuedAt).at(-1);
      expect(original).toBeDefined();
      expect(ret.total).toBeLessThanOrEqual(original!.total);
    }
    for (const v of fiscal.invoices.filter((i) => i.kind === 'void')) expect([v.lines, v.total]).toEqual([[], 0]);
  });

  it('is intact, and its counts are those of its records', () => {
    expect(memory.damagedRecords()).toEqual([]);
    const counts = memory.counts();
    expect(counts.invoices).toBe(fiscal.invoices.length);
    expect(counts.validInvoices + counts.returnInvoices + counts.voidInvoices).toBe(counts.invoices);
    expect(counts.rolls).toBe(fiscal.rolls.length);
  });

  it('is reproducible from its seed', () => {
    expect(JSON.stringify(seeded(40, 8, 3))).toBe(JSON.stringify(seeded(40, 8, 3)));
    expect(JSON.stringify(seeded(40, 8, 3))).not.toBe(JSON.stringify(seeded(40, 8, 4)));
  });

  it('refuses to seed a register that is already initialized', () => {
    const again = seeded(3, 2);
    expect(() => seedHistory(again, { days: 3, invoicesPerDay: 2, today: '20261122' })).toThrow(RegisterRefusal);
  });
});
