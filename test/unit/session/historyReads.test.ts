import { afterEach, describe, expect, it } from 'vitest';
import type { InitializationRecord, RollSummary } from '../../../protocols/gb-link/index.js';
import { startInitializedRegister, type InitializedRegister } from '../rolls/harness.js';

let current: InitializedRegister | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function all<T>(pages: AsyncGenerator<T[]>): Promise<{ records: T[]; pages: number }> {
  const records: T[] = [];
  let count = 0;
  for await (const page of pages) {
    records.push(...page);
    count += 1;
  }
  return { records, pages: count };
}

describe('RegisterSession paged reads of 73 and 3C', () => {
  it('reads the initialization history in pages, as many records as 72 counts, with progress', async () => {
    current = await startInitializedRegister({ days: 20 });
    const { session } = current;
    await session.updateTaxpayer({ taxpayerName: '分页读取测试有限公司', officeCode: 44030501, declarationMode: 1 });
    await session.updateTaxpayer({ taxpayerName: '分页读取测试二有限公司', officeCode: 44030501, declarationMode: 1 });
    const counts = await session.recordCounts();
    const progress: number[] = [];
    const read = await all<InitializationRecord>(session.initializationHistory({ from: 1, count: counts.initializations }, { pageSize: 2, onProgress: (done) => progress.push(done) }));
    expect(read.pages).toBe(2);
    expect(read.records.map((r) => [r.seq, r.kind])).toEqual([[1, 'initialize'], [2, 'registration-change'], [3, 'registration-change']]);
    expect(read.records.at(-1)!.taxpayerName).toBe((await session.userInfo()).taxpayerName);
    expect(progress.at(-1)).toBe(3);
  });

  it('reads the roll summaries in pages; the last is the roll in use (41)', async () => {
    current = await startInitializedRegister({ days: 60 });
    const { session, reg } = current;
    const counts = await session.recordCounts();
    const read = await all<RollSummary>(session.rollSummaries({ from: 1, count: counts.rollSummaries }, { pageSize: 1 }));
    expect(read.records).toHaveLength(reg.simulator.state.fiscal.rollUsage.length);
    expect(read.pages).toBe(read.records.length);
    const status = await session.status();
    expect(read.records.at(-1)).toMatchObject({ invoiceCode: status.currentRoll!.invoiceCode, closedOn: null });
    expect(read.records.at(-1)!.validCount + read.records.at(-1)!.returnCount + read.records.at(-1)!.voidCount)
      .toBe(status.currentRoll!.nextNumber - read.records.at(-1)!.start);
  });
});
