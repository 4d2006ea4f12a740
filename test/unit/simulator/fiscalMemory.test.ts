import { describe, expect, it } from 'vitest';
import { createFactoryState } from '../../../fixtures/simulator/state/factoryState.js';
import { FiscalMemory } from '../../../fixtures/simulator/FiscalMemory.js';
import { createKeyedHashSigner } from '../../../fixtures/simulator/FiscalSigner.js';
import { RegisterRefusal } from '../../../fixtures/simulator/RegisterRefusal.js';
import { ER } from '../../../protocols/gb-link/errorCodes.js';
import { defaultTaxItems } from '../../../fixtures/simulator/TaxpayerProfile.js';

const signer = createKeyedHashSigner(new Uint8Array(16).fill(7));

function freshMemory(): FiscalMemory {
  const memory = new FiscalMemory(createFactoryState().fiscal);
  memory.initialize({
    recordedAt: '20260105080000', machineNumber: '4403000000000001', fiscalCardNumber: '4403100000000001',
    taxpayerNumber: '4403010000123456', taxpayerId: '91440300MA5EXAMPLE', taxpayerName: '示例', officeCode: 1,
    applicationStart: '20250101', validUntil: '20281231', declarationMode: 1, taxItems: [...defaultTaxItems], taxIndex: [1, 2, 3, 0, 0, 0],
    limits: { issueDeadline: '20260131', singleInvoiceLimit: 10_000, cumulativeLimit: 25_000, returnLimit: 3_000 },
  }, '1122334455667788');
  memory.distributeRoll('11234562026100000001', 1, 3, '20260105080500');
  memory.mountRoll('11234562026100000001', 1, 3, '20260105080600');
  return memory;
}

function refusalCode(action: () => unknown): number {
  try {
    action();
  } catch (error) {
    if (error instanceof RegisterRefusal) return error.code;
    throw error;
  }
  throw new Error('not refused');
}

describe('fiscal memory rules', () => {
  it('refuses what a register refuses, with its ER code', () => {
    const memory = freshMemory();
    const sale = (amount: number, taxIndex = 1) => ({ kind: 'normal' as const, lines: [{ taxIndex, amount }] });
    expect(refusalCode(() => memory.issue(sale(10_001), '20260105090000', signer))).toBe(0x12);
    expect(refusalCode(() => memory.issue(sale(100, 5), '20260105090000', signer))).toBe(0x19);
    expect(refusalCode(() => memory.issue(sale(100), '20260201090000', signer))).toBe(0x11);
    const first = memory.issue(sale(9_000), '20260105090000', signer);
    memory.issue(sale(9_000), '20260105090100', signer);
    expect(refusalCode(() => memory.issue(sale(9_000), '20260105090200', signer))).toBe(0x13);
    expect(refusalCode(() => memory.issue({ kind: 'return', lines: [{ taxIndex: 1, amount: 3_001 }], returnOf: first.number }, '20260105090300', signer))).toBe(0x14);
    expect(refusalCode(() => memory.issue({ kind: 'return', lines: [{ taxIndex: 1, amount: 100 }], returnOf: 999 }, '20260105090300', signer))).toBe(0x40);
    memory.issue({ kind: 'return', lines: [{ taxIndex: 1, amount: 2_000 }], returnOf: first.number }, '20260105090300', signer);
    expect(refusalCode(() => memory.issue(sale(1), '20260105090400', signer))).toBe(0x29);
    expect(refusalCode(() => memory.issue(sale(1), '20260105085900', signer))).toBe(ER.VALUE_OVERFLOW);
  });

  it('signs days, declares, and wants a control update before the next declaration', () => {
    const memory = freshMemory();
    memory.issue({ kind: 'normal', lines: [{ taxIndex: 2, amount: 500 }] }, '20260105100000', signer);
    expect(refusalCode(() => memory.declare('normal', '20260106', '20260106090000', signer))).toBe(0x42);
    memory.signDaysThrough('20260106', signer);
    expect(memory.state.dailyRecords.map((d) => [d.date, d.validCount, d.validAmounts[1]])).toEqual([['20260105', 1, 500], ['20260106', 0, 0]]);
    expect(refusalCode(() => memory.issue({ kind: 'normal', lines: [{ taxIndex: 1, amount: 1 }] }, '20260106120000', signer))).toBe(ER.VALUE_OVERFLOW);
    expect(refusalCode(() => memory.declare('normal', '20260107', '20260106090000', signer))).toBe(0x1a);
    const declaration = memory.declare('normal', '20260106', '20260107090000', signer);
    expect(declaration).toMatchObject({ start: '20260105', end: '20260106', validTotal: 500, sequence: 1 });
    expect(refusalCode(() => memory.declare('normal', '20260106', '20260107090000', signer))).toBe(0x4f);
    memory.updateControls({ issueDeadline: '20260301', singleInvoiceLimit: 1, cumulativeLimit: 1, returnLimit: 1 });
    expect(refusalCode(() => memory.updateControls({ issueDeadline: '20260301', singleInvoiceLimit: 1, cumulativeLimit: 1, returnLimit: 1 }))).toBe(0x42);
    expect(refusalCode(() => memory.declare('normal', '20260106', '20260107090000', signer))).toBe(0x1b);
  });

  it('finds a corrupted record by its check value', () => {
    const memory = freshMemory();
    memory.issue({ kind: 'normal', lines: [{ taxIndex: 1, amount: 100 }] }, '20260105100000', signer);
    expect(memory.damagedRecords()).toEqual([]);
    memory.corruptRecord('invoice', 0);
    expect(memory.damagedRecords()).toEqual([{ kind: 'invoice', index: 0 }]);
    expect(memory.state.invoices[0]!.lines[0]!.amount).not.toBe(100);
    expect(() => memory.corruptRecord('declaration', 0)).toThrow(RangeError);
  });
});
