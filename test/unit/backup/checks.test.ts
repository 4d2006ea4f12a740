import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BackupProblemSchema } from '../../../src/services/backup/BackupManifest.js';
import { checkCount } from '../../../src/services/backup/checks/checkCount.js';
import { checkDailyCoverage } from '../../../src/services/backup/checks/checkDailyCoverage.js';
import { checkInvoiceSequence } from '../../../src/services/backup/checks/checkInvoiceSequence.js';
import { checkRecordIntegrity, xorHolds } from '../../../src/services/backup/checks/checkRecordIntegrity.js';
import { checkPositions } from '../../../src/services/backup/checks/checkPositions.js';

const CODE = '00000000001100000001';
const invoices = (numbers: number[], code = CODE) => numbers.map((number, seq) => ({ seq, code, number }));
const days = (dates: string[]) => dates.map((date, seq) => ({ seq, date }));

describe('count check', () => {
  it('is silent when the counts agree or the device gives none, and names both figures otherwise', () => {
    expect(checkCount('invoices', 5, 5)).toEqual([]);
    expect(checkCount('invoices', undefined, 5)).toEqual([]);
    expect(checkCount('daily', 730, 729)).toEqual([expect.objectContaining({ check: 'count', kind: 'daily', data: { expected: 730, actual: 729 } })]);
  });
});

describe('position (sequence) check', () => {
  it('accepts 1, 2, 3…; names a gap by the positions missing and a repeat by the one expected', () => {
    expect(checkPositions('invoices', [1, 2, 3])).toEqual([]);
    expect(checkPositions('invoices', [])).toEqual([]);
    expect(checkPositions('invoices', [1, 2, 5, 6])).toEqual([expect.objectContaining({ check: 'sequence', kind: 'invoices', seq: 2, data: { expected: 3, found: 5 } })]);
    expect(checkPositions('rolls', [1, 2, 2, 3])).toEqual([expect.objectContaining({ check: 'sequence', seq: 2, data: { expected: 3, found: 2 } })]);
    expect(checkPositions('declarations', [2, 3])[0]!.message).toContain('positions 1–1 are missing');
  });

  it('finds every gap in any run of positions, and nothing in an unbroken one', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 50 }), (steps) => {
      const positions: number[] = [];
      let at = 0;
      for (const step of steps) positions.push((at += step));
      const gaps = steps.filter((step) => step !== 1).length;
      expect(checkPositions('invoices', positions)).toHaveLength(gaps);
    }));
  });
});

describe('invoice sequence check', () => {
  const roll = { code: CODE, start: 1001, end: 1100 };

  it('accepts a roll used without gaps, partly used', () => {
    expect(checkInvoiceSequence([roll], invoices([1001, 1002, 1003]))).toEqual([]);
  });

  it('reports a gap as one range, with its bounds and count', () => {
    const problems = checkInvoiceSequence([roll], invoices([1001, 1002, 1006, 1007, 1009]));
    expect(problems.map((p) => p.data)).toEqual([
      expect.objectContaining({ from: 1003, to: 1005, count: 3 }),
      expect.objectContaining({ from: 1008, to: 1008, count: 1 }),
    ]);
    expect(problems.every((p) => p.check === 'invoice-gap')).toBe(true);
  });

  it('does not count a number the register records as voided as a gap', () => {
    expect(checkInvoiceSequence([roll], invoices([1001, 1003]), [{ code: CODE, number: 1002 }])).toEqual([]);
  });

  it('uses the register\'s own last-used number: trailing missing invoices are a gap', () => {
    expect(checkInvoiceSequence([{ ...roll, usedThrough: 1004 }], invoices([1001, 1002]))).toEqual([
      expect.objectContaining({ check: 'invoice-gap', data: expect.objectContaining({ from: 1003, to: 1004 }) }),
    ]);
  });

  it('names duplicates and invoices outside every roll by their record', () => {
    const problems = checkInvoiceSequence([roll], [
      { seq: 0, code: CODE, number: 1001 },
      { seq: 1, code: CODE, number: 1001 },
      { seq: 2, code: CODE, number: 5000 },
      { seq: 3, code: '99999999999999999999', number: 1002 },
      { seq: 4, code: CODE, number: 1002 },
    ]);
    expect(problems.map((p) => [p.check, p.seq])).toEqual([['invoice-duplicate', 1], ['invoice-outside-roll', 2], ['invoice-outside-roll', 3]]);
  });

  it('finds exactly the numbers removed from a complete sequence (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 300 }), fc.uniqueArray(fc.nat(299)), (used, removedIdx) => {
      const all = Array.from({ length: used }, (_, i) => 1 + i);
      const removed = new Set(removedIdx.filter((i) => i < used - 1).map((i) => all[i]));
      const problems = checkInvoiceSequence([{ code: CODE, start: 1, end: 1000, usedThrough: used }], invoices(all.filter((n) => !removed.has(n))));
      const reported = new Set<number>();
      for (const p of problems) for (let n = p.data!.from as number; n <= (p.data!.to as number); n++) reported.add(n);
      expect([...reported].sort((a, b) => a - b)).toEqual([...removed].sort((a, b) => a - b));
      problems.forEach((p) => BackupProblemSchema.parse(p));
    }));
  });
});

describe('daily coverage check', () => {
  it('accepts every day once from initialization through the last signed day', () => {
    expect(checkDailyCoverage(days(['2024-02-28', '2024-02-29', '2024-03-01']), '2024-02-28', '2024-03-01')).toEqual([]);
  });

  it('reports missing days as ranges', () => {
    const problems = checkDailyCoverage(days(['2024-01-01', '2024-01-05']), '2024-01-01', '2024-01-07');
    expect(problems.map((p) => p.data)).toEqual([
      { from: '2024-01-02', to: '2024-01-04', days: 3 },
      { from: '2024-01-06', to: '2024-01-07', days: 2 },
    ]);
  });

  it('names duplicates, out-of-order, out-of-period and invalid dates by record', () => {
    const problems = checkDailyCoverage(days(['2024-01-01', '2024-01-03', '2024-01-02', '2024-01-02', '2023-12-31', '2024-02-30']), '2024-01-01', '2024-01-03');
    expect(problems.map((p) => [p.check, p.seq])).toEqual([
      ['order', 2], ['daily-duplicate', 3], ['order', 4], ['daily-coverage', 4], ['daily-coverage', 5],
    ]);
  });

  it('covers 730 days of a two-year register in one pass', () => {
    const start = Date.parse('2024-11-23T00:00:00Z');
    const dates = Array.from({ length: 730 }, (_, i) => new Date(start + i * 86_400_000).toISOString().slice(0, 10));
    expect(checkDailyCoverage(days(dates), dates[0], dates[729])).toEqual([]);
    expect(checkDailyCoverage(days(dates.filter((_, i) => i !== 400)), dates[0], dates[729])).toHaveLength(1);
  });
});

describe('record integrity check', () => {
  const signature = Uint8Array.from({ length: 128 }, (_, i) => i);
  const withXor = (data: number[]) => Uint8Array.from([...data, data.reduce((x, b) => x ^ b, 0)]);

  it('accepts a 128-byte signature, a right XOR and a good CRC', () => {
    expect(checkRecordIntegrity('daily', [{ seq: 0, signature, xorBlock: withXor([1, 2, 3]), crcOk: true }])).toEqual([]);
  });

  it('names a short, a blank signature, a bad XOR and a bad CRC', () => {
    const badXor = withXor([1, 2, 3]);
    badXor[1] ^= 0x40;
    const problems = checkRecordIntegrity('declarations', [
      { seq: 3, signature: signature.subarray(0, 127) },
      { seq: 4, signature: new Uint8Array(128) },
      { seq: 5, xorBlock: badXor },
      { seq: 6, crcOk: false },
    ]);
    expect(problems.map((p) => [p.seq, p.data?.what])).toEqual([[3, 'signature-length'], [4, 'signature-blank'], [5, 'xor'], [6, 'crc']]);
  });

  it('finds every single-byte change of a XOR block (property)', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (data, at, flip) => {
      const block = withXor([...data]);
      expect(xorHolds(block)).toBe(true);
      block[at % block.length] ^= flip;
      expect(xorHolds(block)).toBe(false);
    }));
  });
});
