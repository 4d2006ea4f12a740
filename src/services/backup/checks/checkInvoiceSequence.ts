import type { BackupProblem } from '../BackupManifest.js';

export interface RollRange {
  /** Invoice code (发票代码), 20 decimal digits. */
  readonly code: string;
  readonly start: number;
  readonly end: number;
  /** The last number the register says it used from this roll, when it says (roll usage 3C / status 41). */
  readonly usedThrough?: number;
}

export interface InvoiceNumber {
  /** The record's seq in `invoices.jsonl`. */
  readonly seq: number;
  readonly code: string;
  readonly number: number;
}

export interface VoidedNumber {
  readonly code: string;
  readonly number: number;
}

const key = (code: string, number: number) => `${code}/${number}`;

/** Consecutive runs of the sorted numbers: [[1,3],[7,7]]. */
function runs(numbers: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of numbers) {
    const last = out.at(-1);
    if (last !== undefined && last[1] + 1 === n) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

/**
 * Invoice numbers within each roll run without gaps from the roll's start to the last number used
 * (the register's own figure when it gives one, else the highest read), except numbers the register
 * records as voided blanks. Also names invoices that belong to no roll and numbers read twice.
 * Gaps are reported as ranges, one problem per range.
 */
export function checkInvoiceSequence(rolls: readonly RollRange[], invoices: readonly InvoiceNumber[], voided: readonly VoidedNumber[] = []): BackupProblem[] {
  const problems: BackupProblem[] = [];
  const seen = new Map<string, number>();
  const perRoll = new Map<RollRange, number[]>();
  for (const roll of rolls) perRoll.set(roll, []);
  for (const invoice of invoices) {
    const k = key(invoice.code, invoice.number);
    const first = seen.get(k);
    if (first !== undefined) {
      problems.push({ check: 'invoice-duplicate', kind: 'invoices', seq: invoice.seq, message: `invoice ${invoice.code} no. ${invoice.number} read twice (first at record ${first})`, data: { code: invoice.code, number: invoice.number, firstSeq: first } });
      continue;
    }
    seen.set(k, invoice.seq);
    const roll = rolls.find((r) => r.code === invoice.code && invoice.number >= r.start && invoice.number <= r.end);
    if (roll === undefined) {
      problems.push({ check: 'invoice-outside-roll', kind: 'invoices', seq: invoice.seq, message: `invoice ${invoice.code} no. ${invoice.number} lies in no roll distributed to this register`, data: { code: invoice.code, number: invoice.number } });
      continue;
    }
    perRoll.get(roll)!.push(invoice.number);
  }
  const voids = new Set(voided.map((v) => key(v.code, v.number)));
  for (const [roll, used] of perRoll) {
    const highest = used.reduce((max, n) => (n > max ? n : max), roll.start - 1);
    const through = Math.min(roll.end, Math.max(highest, roll.usedThrough ?? roll.start - 1));
    const present = new Set(used);
    const missing: number[] = [];
    for (let n = roll.start; n <= through; n++) if (!present.has(n) && !voids.has(key(roll.code, n))) missing.push(n);
    for (const [from, to] of runs(missing)) {
      problems.push({
        check: 'invoice-gap', kind: 'invoices',
        message: from === to ? `invoice ${roll.code} no. ${from} is missing` : `invoices ${roll.code} no. ${from}–${to} are missing (${to - from + 1})`,
        data: { code: roll.code, from, to, count: to - from + 1, rollStart: roll.start, rollEnd: roll.end },
      });
    }
  }
  return problems;
}
