import { describe, expect, it } from 'vitest';
import { isGatewayError } from '../../../contracts/errors/index.js';
import type { TaxItem, UserInfo } from '../../../protocols/gb-link/index.js';
import type { BackupParameters } from '../../../src/services/backup/restore/backupParameters.js';
import { planRestore } from '../../../src/services/backup/restore/planRestore.js';

const user: UserInfo = {
  taxpayerNumber: '4403010000123456', taxpayerId: '91440300MA5FXXXX1X', taxpayerName: '深圳市示例商贸有限公司', officeCode: 44030000,
  fiscalCardNumber: '4403100000000001', declarationMode: 1, initializationDate: '2025-01-01', applicationStartDate: '2024-12-01', validUntil: '2030-12-31',
};
const items: TaxItem[] = [{ index: 1, itemCode: '01010101', rate: 500, nameZh: '餐饮服务', nameEn: 'Catering' }];
const source: BackupParameters = { backupId: 'abcdefabcdef', machineNumber: '1111222233334444', userInfo: user, taxItems: items, fiscalMemory: { invoices: 10, daily: 3, declarations: 0, rolls: 1 } };
const replacement = { machineNumber: '5555666677778888', userInfo: { ...user, fiscalCardNumber: '4403100000000002', taxpayerName: '旧名称' }, taxItems: items };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isGatewayError(error, 'RESTORE_REFUSED')) return String(error.params?.detail ?? error.message);
    throw error;
  }
  throw new Error('not refused');
}

describe('planRestore', () => {
  it('plans 62 for the taxpayer fields that differ, names both machines, and never fiscal memory', () => {
    const plan = planRestore(source, replacement);
    expect(plan).toMatchObject({ fromMachine: source.machineNumber, toMachine: replacement.machineNumber, taxpayerNumber: user.taxpayerNumber, alreadyEqual: ['tax items'] });
    expect(plan.steps).toEqual([{ what: 'taxpayer', command: '62', from: { taxpayerName: '旧名称', officeCode: 44030000, declarationMode: 1 }, to: { taxpayerName: user.taxpayerName, officeCode: 44030000, declarationMode: 1 } }]);
    expect(plan.notRestored.map((n) => n.what)).toEqual(['fiscal memory', 'header lines and goods items']);
    expect(plan.notRestored[0]!.data).toEqual(source.fiscalMemory);
  });

  it('has nothing to write when the replacement already holds the parameters, and reports tax items it cannot write', () => {
    const plan = planRestore(source, { ...replacement, userInfo: user, taxItems: [{ ...items[0]!, rate: 600 }] });
    expect(plan.steps).toEqual([]);
    expect(plan.notRestored[0]).toMatchObject({ what: 'tax items' });
  });

  it('refuses the same machine, an uninitialized replacement, another taxpayer, and a backup without parameters', () => {
    expect(refusal(() => planRestore(source, { ...replacement, machineNumber: source.machineNumber }))).toMatch(/same register/);
    expect(refusal(() => planRestore(source, { machineNumber: replacement.machineNumber, taxItems: [] }))).toMatch(/not initialized/);
    expect(refusal(() => planRestore(source, { ...replacement, userInfo: { ...user, taxpayerNumber: '4403010000654321' } }))).toMatch(/taxpayer 4403010000654321/);
    const { userInfo: _none, ...uninitialized } = source;
    expect(refusal(() => planRestore(uninitialized, replacement))).toMatch(/not initialized: it holds no taxpayer parameters/);
  });
});
