import { describe, expect, it } from 'vitest';
import { addMonths, monthRange, nextWorkingDay, previousMonth, serviceDay } from '../../../src/services/common/serviceCalendar.js';
import { repeatFaults, type RepairFact } from '../../../src/services/diagnostics/repeatFaults.js';
import type { CheckResult } from '../../../src/services/diagnostics/Check.js';
import { followUps } from '../../../src/services/records/followUps.js';
import { monthlyReport } from '../../../src/services/records/monthlyReport.js';
import { monthlyReportCsv, monthlyReportPage } from '../../../src/services/records/monthlyReportViews.js';
import type { ServiceRecord } from '../../../src/store/types.js';

let nextId = 1;
function record(action: string, at: string, extra: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    id: nextId++, at, operator: '王工', deviceId: '1100000000000001', machineNumber: '1100000000000001', action, params: {},
    before: null, after: null, result: 'succeeded', errorCode: null, jobId: null, ...extra,
  };
}
const cst = (local: string) => new Date(`${local}+08:00`);

describe('service calendar', () => {
  it('one working day later: Thursday -> Friday, Friday, Saturday and Sunday -> Monday', () => {
    expect(nextWorkingDay('2026-12-03')).toBe('2026-12-04');
    expect(nextWorkingDay('2026-12-04')).toBe('2026-12-07');
    expect(nextWorkingDay('2026-12-05')).toBe('2026-12-07');
    expect(nextWorkingDay('2026-12-06')).toBe('2026-12-07');
    expect(nextWorkingDay('2026-12-31')).toBe('2027-01-01');
  });

  it('the service day is China time: 16:00 UTC is already the next day', () => {
    expect(serviceDay('2026-11-30T15:59:59.999Z')).toBe('2026-11-30');
    expect(serviceDay('2026-11-30T16:00:00.000Z')).toBe('2026-12-01');
  });

  it('six months to the day, clamped at month ends', () => {
    expect(addMonths('2026-06-05', 6)).toBe('2026-12-05');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-01-01', -1)).toBe('2025-12-01');
  });

  it('a month is bounded in China time; last month of January is December', () => {
    expect(monthRange('2026-12')).toEqual({ since: '2026-11-30T16:00:00.000Z', until: '2026-12-31T16:00:00.000Z' });
    expect(previousMonth(cst('2027-01-05T09:00:00'))).toBe('2026-12');
    expect(previousMonth(new Date('2026-12-31T16:30:00Z'))).toBe('2026-12');
  });
});

describe('repeat faults (six months to the day)', () => {
  const fault = { id: 'self-check.ram', status: 'fault', summary: { zh: '', en: '' } } as CheckResult;
  const repair: RepairFact = { recordId: 7, at: cst('2026-06-05T15:00:00').toISOString(), checks: ['self-check.ram'], work: '更换内存', diagnosisId: 'd1' };

  it('a fault repaired six months ago to the day is a repeat; a day later it is not', () => {
    const repeat = repeatFaults([fault], [repair], cst('2026-12-05T23:59:00'));
    expect(repeat).toHaveLength(1);
    expect(repeat[0]!.repair.recordId).toBe(7);
    expect(repeat[0]!.zh).toContain('2026-06-05');
    expect(repeat[0]!.zh).toContain('更换内存');
    expect(repeatFaults([fault], [repair], cst('2026-12-06T00:00:00'))).toEqual([]);
  });

  it('only the same check counts, and only faults', () => {
    expect(repeatFaults([{ ...fault, id: 'self-check.rom' }], [repair], cst('2026-07-01T10:00:00'))).toEqual([]);
    expect(repeatFaults([{ ...fault, status: 'warning' }], [repair], cst('2026-07-01T10:00:00'))).toEqual([]);
  });

  it('a repair at the end of August covers until the end of February', () => {
    const august = { ...repair, at: cst('2026-08-31T10:00:00').toISOString() };
    expect(repeatFaults([fault], [august], cst('2027-02-28T18:00:00'))).toHaveLength(1);
    expect(repeatFaults([fault], [august], cst('2027-03-01T08:00:00'))).toEqual([]);
  });
});

describe('follow-ups', () => {
  it('a Friday repair is due Monday: open over the weekend, due Monday, overdue Tuesday', () => {
    const friday = record('repair', cst('2026-12-04T17:30:00').toISOString());
    const state = (now: string) => followUps([friday], cst(now))[0]!;
    expect(state('2026-12-05T10:00:00')).toMatchObject({ due: '2026-12-07', state: 'open' });
    expect(state('2026-12-07T10:00:00').state).toBe('due');
    expect(state('2026-12-08T10:00:00').state).toBe('overdue');
  });

  it('done on the due day is kept, later is late; diagnostics and failed operations call for none', () => {
    const repair = record('repair', cst('2026-12-04T17:30:00').toISOString());
    const onTime = record('follow-up', cst('2026-12-07T09:00:00').toISOString(), { params: { recordId: repair.id, outcome: '用户满意' } });
    expect(followUps([repair, onTime], cst('2026-12-09T00:00:00'))[0]).toMatchObject({ state: 'done', done: { outcome: '用户满意' } });
    const late = record('follow-up', cst('2026-12-08T09:00:00').toISOString(), { params: { recordId: repair.id, outcome: '已回访' } });
    expect(followUps([repair, late], cst('2026-12-09T00:00:00'))[0]!.state).toBe('done-late');
    const none = [record('diagnostics', repair.at), record('upgrade', repair.at, { result: 'failed' })];
    expect(followUps(none, cst('2026-12-09T00:00:00'))).toEqual([]);
  });
});

describe('monthly report', () => {
  it('counts by kind and result within the month in China time, follow-ups due in it, repeats; CSV and a printable page', () => {
    const records = [
      record('repair', '2026-11-30T15:59:00.000Z'), // 11-30 23:59 CST: November
      record('repair', '2026-11-30T16:00:00.000Z'), // 12-01 00:00 CST: December
      record('initialize', cst('2026-12-31T17:00:00').toISOString()), // due 2027-01-01: not a December follow-up
      record('diagnostics', cst('2026-12-10T10:00:00').toISOString(), { after: { verdict: 'fault', repeats: [{ check: 'self-check.ram', repairRecordId: 1 }] } }),
      record('upgrade', cst('2026-12-10T10:00:00').toISOString(), { result: 'failed' }),
    ];
    records.push(record('follow-up', cst('2026-12-01T11:00:00').toISOString(), { params: { recordId: records[0]!.id, outcome: '正常' } }));
    const report = monthlyReport(records, '2026-12', cst('2027-01-05T09:00:00'));
    expect(report.byAction.find((r) => r.action === 'repair')).toMatchObject({ total: 1, results: { succeeded: 1 } });
    expect(report.byAction.find((r) => r.action === 'upgrade')?.results).toEqual({ failed: 1 });
    expect(report.repeats).toBe(1);
    // due in December: the November 30 repair (due 12-01, kept) and the December 1 repair (a Tuesday: due 12-02, missing)
    expect(report.followUps).toEqual({ due: 2, keptOnTime: 1, late: 0, missing: 1 });
    expect(report.totals.registers).toBe(1);
    const csv = monthlyReportCsv(report);
    expect(csv.startsWith('\uFEFF月份,业务类别,合计,成功')).toBe(true);
    expect(csv).toContain('2026-12,维修,1,1,0,0,0');
    const page = monthlyReportPage(report, '深圳市示例服务网点');
    expect(page).toContain('2026年12月税控收款机服务情况报告');
    expect(page).toContain('@page { size: A4');
    expect(page).toContain('（签字）');
    expect(page).toContain('深圳市示例服务网点');
  });
});
