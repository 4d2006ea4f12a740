import type { ServiceRecord } from '../../store/types.js';
import { monthRange } from '../common/serviceCalendar.js';
import { followUps, FOLLOW_UP_ACTION, type FollowUp } from './followUps.js';

/** What each action is called in the report handed to the tax authority. */
export const actionLabels: Readonly<Record<string, { zh: string; en: string }>> = {
  diagnostics: { zh: '故障诊断', en: 'diagnostics' },
  repair: { zh: '维修', en: 'repair' },
  upgrade: { zh: '升级', en: 'upgrade' },
  initialize: { zh: '初始化', en: 'initialization' },
  deregister: { zh: '注销', en: 'deregistration' },
  backup: { zh: '数据备份', en: 'backup' },
  restore: { zh: '参数恢复', en: 'restore' },
  roll: { zh: '发票分发', en: 'roll distribution' },
  distribute: { zh: '发票分发', en: 'roll distribution' },
  'mount-pending': { zh: '发票卷装入', en: 'roll mounting' },
  'registration-change': { zh: '登记信息变更', en: 'registration change' },
  [FOLLOW_UP_ACTION]: { zh: '回访', en: 'follow-up' },
};

/** The kinds of a registration change (`registration-change:basic-info`), as the report names them. */
const changeKindsZh: Readonly<Record<string, string>> = {
  'basic-info': '基本信息', 'installation-info': '安装信息', 'invoice-approval': '票种核定', 'monitoring-data': '监控数据', 'tax-registration': '税务登记',
};

/** An action in Chinese: its own label, else its kind's with the sub-kind (登记信息变更（基本信息）), else 其他业务. */
export function actionZh(action: string): string {
  const own = actionLabels[action]?.zh;
  if (own !== undefined) return own;
  const [kind, sub] = action.split(':', 2) as [string, string | undefined];
  const head = actionLabels[kind]?.zh;
  if (head === undefined) return '其他业务';
  const subZh = sub === undefined ? undefined : changeKindsZh[sub];
  return subZh === undefined ? head : `${head}（${subZh}）`;
}
export const resultLabels: Readonly<Record<string, string>> = { succeeded: '成功', failed: '失败', cancelled: '已取消', interrupted: '中断' };

export interface MonthlyReport {
  readonly month: string;
  readonly period: { readonly since: string; readonly until: string };
  readonly totals: { readonly operations: number; readonly registers: number };
  readonly byAction: readonly { readonly action: string; readonly zh: string; readonly results: Readonly<Record<string, number>>; readonly total: number }[];
  /** Repairs whose fault had been repaired within six months before (a diagnosis that found a repeat). */
  readonly repeats: number;
  readonly followUps: { readonly due: number; readonly keptOnTime: number; readonly late: number; readonly missing: number };
  readonly records: readonly ServiceRecord[];
}

/**
 * The month's service summary (每月10日内上报上月服务情况): operations by kind and result, repeat faults, and
 * the follow-ups due in the month, kept on time, late or missing. `all` is every record (follow-ups of the
 * month's last days may be done in the next).
 */
export function monthlyReport(all: readonly ServiceRecord[], month: string, now: Date): MonthlyReport {
  const period = monthRange(month);
  const inMonth = all.filter((r) => r.at >= period.since && r.at < period.until);
  const byAction = new Map<string, Record<string, number>>();
  for (const record of inMonth) {
    const results = byAction.get(record.action) ?? {};
    results[record.result] = (results[record.result] ?? 0) + 1;
    byAction.set(record.action, results);
  }
  const [firstDay, lastDay] = [period.since, period.until].map((at) => new Date(Date.parse(at) + 8 * 3600_000).toISOString().slice(0, 10)) as [string, string];
  const dueInMonth: FollowUp[] = followUps(all, now).filter((f) => f.due >= firstDay && f.due < lastDay);
  const repeats = inMonth.filter((r) => r.action === 'diagnostics' && Array.isArray((r.after as { repeats?: unknown } | null)?.repeats)
    && ((r.after as { repeats: unknown[] }).repeats.length > 0)).length;
  return {
    month, period,
    totals: { operations: inMonth.length, registers: new Set(inMonth.map((r) => r.machineNumber ?? r.deviceId)).size },
    byAction: [...byAction.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([action, results]) => ({
      action, zh: actionZh(action), results, total: Object.values(results).reduce((a, b) => a + b, 0),
    })),
    repeats,
    followUps: {
      due: dueInMonth.length,
      keptOnTime: dueInMonth.filter((f) => f.state === 'done').length,
      late: dueInMonth.filter((f) => f.state === 'done-late').length,
      missing: dueInMonth.filter((f) => f.state === 'overdue' || f.state === 'due' || f.state === 'open').length,
    },
    records: inMonth,
  };
}
