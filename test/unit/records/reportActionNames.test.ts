import { describe, expect, it } from 'vitest';
import { actionZh } from '../../../src/services/records/monthlyReport.js';

describe('the monthly report names every action in Chinese', () => {
  it('by its own label, by its kind with the sub-kind, or as 其他业务, never in English', () => {
    expect(actionZh('repair')).toBe('维修');
    expect(actionZh('registration-change:basic-info')).toBe('登记信息变更（基本信息）');
    expect(actionZh('registration-change:something-new')).toBe('登记信息变更');
    expect(actionZh('teleport')).toBe('其他业务');
  });
});
