import type { SalesTotals } from '../../../../protocols/gb18240-card/blocks.js';
import type { BackupProblem } from '../BackupManifest.js';

export interface SaleAmounts {
  readonly type: 'normal' | 'return' | 'void';
  readonly items: readonly { readonly taxIndex: number; readonly amount: number }[];
  readonly total: number;
}

/** What a daily record (one day) or a declaration (a period) says its invoices or daily records add up to. */
export interface PeriodTotals extends SalesTotals {
  /** `YYYY-MM-DD`, inclusive. */
  readonly from: string;
  readonly to: string;
  /** Declarations carry their totals too. */
  readonly validTotal?: number;
  readonly returnTotal?: number;
}

export interface DatedSale {
  readonly seq: number;
  /** `YYYY-MM-DD` the invoice was issued. */
  readonly date: string;
  readonly sale: SaleAmounts;
}

export interface DatedTotals {
  readonly seq: number;
  readonly totals: PeriodTotals;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/** Counts and amounts per tax item, the shape both sides of a cross-check are brought to. */
class Tally {
  validCount = 0;
  returnCount = 0;
  voidCount = 0;
  readonly valid = new Map<number, number>();
  readonly returned = new Map<number, number>();

  addSale(sale: SaleAmounts): void {
    if (sale.type === 'void') {
      this.voidCount++;
      return;
    }
    if (sale.type === 'normal') this.validCount++;
    else this.returnCount++;
    const into = sale.type === 'normal' ? this.valid : this.returned;
    for (const item of sale.items) into.set(item.taxIndex, (into.get(item.taxIndex) ?? 0) + item.amount);
  }

  addTotals(totals: PeriodTotals): void {
    this.validCount += totals.validCount;
    this.returnCount += totals.returnCount;
    this.voidCount += totals.voidCount;
    totals.taxIndex.forEach((index, slot) => {
      if (index === 0) return;
      this.valid.set(index, (this.valid.get(index) ?? 0) + (totals.validAmounts[slot] ?? 0));
      this.returned.set(index, (this.returned.get(index) ?? 0) + (totals.returnAmounts[slot] ?? 0));
    });
  }

  static of(totals: PeriodTotals): Tally {
    const tally = new Tally();
    tally.addTotals(totals);
    return tally;
  }

  /** Plain words for every figure that differs, `said` being the record under test. */
  differences(said: Tally, what: string): string[] {
    const out: string[] = [];
    for (const [name, a, b] of [['valid count', said.validCount, this.validCount], ['return count', said.returnCount, this.returnCount], ['void count', said.voidCount, this.voidCount]] as const) {
      if (a !== b) out.push(`${name} ${a}, ${what} ${b}`);
    }
    for (const [name, mine, theirs] of [['valid', said.valid, this.valid], ['return', said.returned, this.returned]] as const) {
      for (const index of new Set([...mine.keys(), ...theirs.keys()])) {
        const a = mine.get(index) ?? 0;
        const b = theirs.get(index) ?? 0;
        if (a !== b) out.push(`${name} amount of tax item ${index} ${a}, ${what} ${b}`);
      }
    }
    return out;
  }
}

/** An invoice's total is the sum of its items; a void carries no amounts. */
export function checkInvoiceAmounts(sales: readonly DatedSale[]): BackupProblem[] {
  const problems: BackupProblem[] = [];
  for (const { seq, sale } of sales) {
    const added = sum(sale.items.map((item) => item.amount));
    if (sale.type === 'void' && (sale.total !== 0 || added !== 0)) {
      problems.push({ check: 'record-check', kind: 'invoices', seq, message: `voided invoice carries an amount (total ${sale.total}, items ${added})`, data: { what: 'void-amount', total: sale.total, items: added } });
    } else if (added !== sale.total) {
      problems.push({ check: 'record-check', kind: 'invoices', seq, message: `invoice total ${sale.total} is not the sum of its items (${added})`, data: { what: 'total', total: sale.total, items: added } });
    }
  }
  return problems;
}

/**
 * Each daily record says what its day's invoices add up to (that is what the fiscal card signed):
 * the invoices read must give the same counts and amounts per tax item. A changed amount on either
 * side names the daily record; a changed invoice is also named by its own total check.
 */
export function checkDailyAgainstInvoices(dailies: readonly DatedTotals[], sales: readonly DatedSale[]): BackupProblem[] {
  const byDay = new Map<string, Tally>();
  for (const { date, sale } of sales) {
    let tally = byDay.get(date);
    if (tally === undefined) byDay.set(date, (tally = new Tally()));
    tally.addSale(sale);
  }
  const problems: BackupProblem[] = [];
  for (const { seq, totals } of dailies) {
    const found = byDay.get(totals.from) ?? new Tally();
    const differences = found.differences(Tally.of(totals), 'its invoices give');
    if (differences.length > 0) {
      problems.push({ check: 'cross-check', kind: 'daily', seq, message: `daily record ${totals.from} does not match its invoices: ${differences.join('; ')}`, data: { date: totals.from, differences } });
    }
  }
  return problems;
}

/**
 * Each declaration sums the daily records of its period, and its totals sum its amounts. Names the
 * declaration whose figures disagree.
 */
export function checkDeclarationsAgainstDaily(declarations: readonly DatedTotals[], dailies: readonly DatedTotals[]): BackupProblem[] {
  const problems: BackupProblem[] = [];
  for (const { seq, totals } of declarations) {
    const own: string[] = [];
    if (totals.validTotal !== undefined && totals.validTotal !== sum(totals.validAmounts)) own.push(`valid total ${totals.validTotal}, its amounts give ${sum(totals.validAmounts)}`);
    if (totals.returnTotal !== undefined && totals.returnTotal !== sum(totals.returnAmounts)) own.push(`return total ${totals.returnTotal}, its amounts give ${sum(totals.returnAmounts)}`);
    if (own.length > 0) {
      problems.push({ check: 'record-check', kind: 'declarations', seq, message: `declaration ${totals.from}..${totals.to}: ${own.join('; ')}`, data: { what: 'total', differences: own } });
    }
    const period = new Tally();
    for (const daily of dailies) if (daily.totals.from >= totals.from && daily.totals.to <= totals.to) period.addTotals(daily.totals);
    const differences = period.differences(Tally.of(totals), 'its daily records give');
    if (differences.length > 0) {
      problems.push({ check: 'cross-check', kind: 'declarations', seq, message: `declaration ${totals.from}..${totals.to} does not match its daily records: ${differences.join('; ')}`, data: { from: totals.from, to: totals.to, differences } });
    }
  }
  return problems;
}
