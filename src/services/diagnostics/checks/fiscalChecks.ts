import type { RegisterStatus } from '../../../../protocols/gb-link/index.js';
import type { Outcome } from '../Check.js';
import type { RegisterStatusFacts } from '../DiagnosticsPort.js';
import type { Observations } from '../Observations.js';
import type { CheckDefinition } from './CheckDefinition.js';
import { addDays, daysFrom, needs, notRun, registerToday, STATUS_41 } from './CheckDefinition.js';

/** Five years (1835 days) after initialization the register locks (status 41, lock bit 1). */
export const FIVE_YEAR_DAYS = 1835;
/** Warn this many days before the five-year lock and before the issue deadline. */
export const FIVE_YEAR_WARNING_DAYS = 90;
export const DEADLINE_WARNING_DAYS = 7;
/** A month's declaration is due by this day of the next month (申报期). */
export const DECLARATION_DUE_DAY = 15;

const notInitialized = notRun('收款机尚未初始化，此项不适用', 'The register is not initialized; this does not apply');

/** The whole 41 when the adapter gave it, for the checks that need counts and dates. */
function withDetail(o: Observations, judge: (status: RegisterStatus, facts: RegisterStatusFacts) => Outcome): Outcome {
  return needs(o.status, STATUS_41, (facts) => (facts.detail === undefined
    ? notRun('状态读数不含计数和日期', 'The status read gives no counts or dates')
    : judge(facts.detail, facts)));
}

/** When the declaration of the month `periodStart` falls in is due: the 15th of the month after it. */
export function declarationDueAfter(periodStart: string): string {
  const [year, month] = periodStart.split('-').map(Number) as [number, number];
  const nextMonth = new Date(Date.UTC(year, month, 1));
  return `${nextMonth.getUTCFullYear()}-${String(nextMonth.getUTCMonth() + 1).padStart(2, '0')}-${String(DECLARATION_DUE_DAY).padStart(2, '0')}`;
}

export const fiscalChecks: readonly CheckDefinition[] = [
  {
    id: 'fiscal.state',
    measures: { zh: '税控状态：新机、已初始化或已注销', en: 'Fiscal state: new, initialized or deregistered' },
    evaluate: (o) => needs(o.status, STATUS_41, (status): Outcome => {
      const deregisteredAt = o.known.deregisteredAt ?? null;
      if (deregisteredAt !== null) {
        return {
          status: 'warning', facts: { state: 'deregistered', deregisteredAt },
          summary: { zh: `收款机已于 ${deregisteredAt.slice(0, 10)} 注销`, en: `The register was deregistered on ${deregisteredAt.slice(0, 10)}` },
          impact: { zh: '已注销的收款机不得再开具发票', en: 'A deregistered register must not issue invoices' },
          remedy: { zh: '如需继续使用，须由税务机关重新发卡后重新初始化。', en: 'To use it again the tax office must issue new cards and it must be initialized again.' },
          actor: 'tax-office',
        };
      }
      if (status.initialized) return { status: 'ok', facts: { state: 'initialized' }, summary: { zh: '收款机已完成税控初始化', en: 'The register is initialized (fiscal mode)' } };
      return {
        status: 'warning', facts: { state: 'new' },
        summary: { zh: '收款机尚未税控初始化', en: 'The register is not initialized yet' },
        impact: { zh: '未初始化的收款机不能开具发票', en: 'A register that is not initialized cannot issue invoices' },
        remedy: { zh: '插入匹配的税控卡和用户卡后执行初始化（fiscalctl init）。', en: 'Insert the matching fiscal and user cards and run initialization (fiscalctl init).' },
        actor: 'technician',
      };
    }),
  },
  {
    id: 'fiscal.card-locks',
    measures: { zh: '收款机报告的税控卡、用户卡锁定', en: 'Fiscal and user card locks the register reports' },
    evaluate: (o) => needs(o.status, STATUS_41, (status) => {
      const fiscal = status.locks?.fiscalCard === true;
      const user = status.locks?.userCard === true;
      const facts = { fiscalCardLocked: fiscal, userCardLocked: user };
      if (!fiscal && !user) return { status: 'ok', facts, summary: { zh: '税控卡和用户卡均未锁定', en: 'Neither card is locked' } };
      return {
        status: 'fault', facts, code: fiscal ? 'ER 1D' : 'ER 1C',
        summary: fiscal ? { zh: '税控卡已锁定', en: 'The fiscal card is locked' } : { zh: '用户卡已锁定', en: 'The user card is locked' },
        impact: { zh: '收款机不能开票或申报', en: 'The register cannot issue invoices or declare' },
        remedy: { zh: '携卡到主管税务机关解锁或换卡；不要再尝试口令。', en: 'Take the card to the tax office to unlock or replace it; do not try the PIN again.' },
        actor: 'tax-office',
      };
    }),
  },
  {
    id: 'fiscal.five-year',
    measures: { zh: '五年使用期限（初始化后 1835 天）是否已到或临近', en: 'Whether the five-year limit (1835 days after initialization) is reached or near' },
    evaluate: (o) => needs(o.status, STATUS_41, (status) => {
      if (status.locks?.fiveYear === true) {
        return {
          status: 'fault', facts: { locked: true },
          summary: { zh: '收款机已达五年使用期限并锁定', en: 'The register has reached its five-year limit and is locked' },
          impact: { zh: '收款机不能再开具发票', en: 'The register can no longer issue invoices' },
          remedy: { zh: '先备份，再按规定办理注销并更换收款机。', en: 'Back up, then deregister it as the rules require and replace the register.' },
          actor: 'tax-office',
        };
      }
      if (!status.initialized) return notInitialized;
      return needs(o.userInfo, { zh: '用户信息（38）', en: 'user info (38)' }, (info) => {
        if (info === null) return notInitialized;
        const lockDate = addDays(info.initializationDate, FIVE_YEAR_DAYS);
        const left = daysFrom(registerToday(o), lockDate);
        const facts = { initializationDate: info.initializationDate, lockDate, daysLeft: left };
        if (left > FIVE_YEAR_WARNING_DAYS) return { status: 'ok', facts, summary: { zh: `五年期限至 ${lockDate}`, en: `The five-year limit falls on ${lockDate}` } };
        return {
          status: 'warning', facts,
          summary: { zh: `${left} 天后（${lockDate}）收款机将因五年期限锁定`, en: `In ${left} days (${lockDate}) the register locks at its five-year limit` },
          impact: { zh: '到期后不能再开票', en: 'After that date it cannot issue invoices' },
          remedy: { zh: '提前安排备份、注销和更换收款机。', en: 'Plan the backup, deregistration and replacement in time.' },
          actor: 'tax-office',
        };
      });
    }),
  },
  {
    id: 'fiscal.memory-fault',
    measures: { zh: '收款机报告的税控存储器故障', en: 'A fiscal memory fault the register reports' },
    evaluate: (o) => needs(o.status, STATUS_41, (status) => (status.locks?.fiscalMemoryFault === true
      ? {
        status: 'fault', facts: { fault: true },
        summary: { zh: '收款机报告税控存储器故障', en: 'The register reports a fiscal memory fault' },
        impact: { zh: '税控数据可能丢失，收款机已停止开票', en: 'Fiscal data may be lost; the register has stopped issuing' },
        remedy: { zh: '先备份数据（fiscalctl backup），再联系税务机关指定的维修点；不得自行更换税控存储器。', en: 'Back up the data first (fiscalctl backup), then contact the service point named by the tax office; never replace the fiscal memory yourself.' },
        actor: 'factory',
      }
      : { status: 'ok', facts: { fault: false }, summary: { zh: '税控存储器无故障报告', en: 'No fiscal memory fault reported' } })),
  },
  {
    id: 'deadline.issue',
    measures: { zh: '开票截止日期是否已过或临近', en: 'Whether the issue deadline has passed or is near' },
    evaluate: (o) => withDetail(o, (status) => {
      if (!status.initialized || status.issueDeadline === null) return notInitialized;
      const left = daysFrom(registerToday(o), status.issueDeadline);
      const facts = { issueDeadline: status.issueDeadline, daysLeft: left, lockedByDeadline: status.locks.deadlinePassed };
      if (status.locks.deadlinePassed || left < 0) {
        return {
          status: 'fault', facts, code: 'ER 11',
          summary: { zh: `开票截止日期 ${status.issueDeadline} 已过，收款机停止开票`, en: `The issue deadline ${status.issueDeadline} has passed; the register no longer issues invoices` },
          impact: { zh: '不能开具发票', en: 'No invoice can be issued' },
          remedy: { zh: '纳税人持用户卡到税务机关申报并完税，再用用户卡更新监控数据。', en: 'The taxpayer declares and pays at the tax office with the user card, then updates the control data with it.' },
          actor: 'tax-office',
        };
      }
      if (left > DEADLINE_WARNING_DAYS) return { status: 'ok', facts, summary: { zh: `开票截止日期 ${status.issueDeadline}（还有 ${left} 天）`, en: `Issue deadline ${status.issueDeadline} (${left} days left)` } };
      return {
        status: 'warning', facts,
        summary: { zh: `开票截止日期 ${status.issueDeadline} 只剩 ${left} 天`, en: `Only ${left} days left to the issue deadline ${status.issueDeadline}` },
        impact: { zh: '到期未申报收款机将停止开票', en: 'Without a declaration the register stops issuing at the deadline' },
        remedy: { zh: '尽快用用户卡申报并到税务机关完税。', en: 'Declare with the user card and pay at the tax office soon.' },
        actor: 'operator',
      };
    }),
  },
  {
    id: 'declaration.overdue',
    measures: { zh: '上次申报截止日之后的申报是否逾期', en: 'Whether the declaration after the last declared period is overdue' },
    evaluate: (o) => withDetail(o, (status) => {
      if (!status.initialized) return notInitialized;
      const since = status.lastDeclarationEnd ?? (o.userInfo.state === 'ok' && o.userInfo.value !== null ? addDays(o.userInfo.value.initializationDate, -1) : null);
      if (since === null) return notRun('不知道上次申报或初始化日期', 'Neither the last declaration nor the initialization date is known');
      const due = declarationDueAfter(addDays(since, 1));
      const late = daysFrom(due, registerToday(o));
      const facts = { lastDeclarationEnd: status.lastDeclarationEnd, due, daysLate: Math.max(0, late) };
      if (late <= 0) return { status: 'ok', facts, summary: { zh: `申报按期（下次申报期限 ${due}）`, en: `Declarations are on time (next due ${due})` } };
      return {
        status: 'warning', facts,
        summary: { zh: `申报已逾期 ${late} 天（期限 ${due}）`, en: `The declaration is ${late} days overdue (due ${due})` },
        impact: { zh: '逾期申报会受处罚，开票截止日期到后收款机停止开票', en: 'A late declaration is penalised and the register stops issuing at the issue deadline' },
        remedy: { zh: '插入用户卡执行申报，再到税务机关完税。', en: 'Insert the user card and declare, then pay at the tax office.' },
        actor: 'operator',
      };
    }),
  },
  {
    id: 'declaration.control-update',
    measures: { zh: '已申报后是否在等待完税后的监控数据更新', en: 'Whether a declaration waits for the control update after tax payment' },
    evaluate: (o) => needs(o.status, STATUS_41, (status) => (status.awaitingControlUpdate === true
      ? {
        status: 'warning', facts: { awaiting: true },
        summary: { zh: '已申报，等待完税后更新监控数据', en: 'Declared; waiting for the control update after tax payment' },
        impact: { zh: '不更新监控数据，开票截止日期不会延后', en: 'Without the update the issue deadline does not move on' },
        remedy: {
          zh: `完税后插入用户卡，执行 fiscalctl change ${o.deviceId} monitoring-data 更新监控数据。`,
          en: `After the tax is paid, insert the user card and run fiscalctl change ${o.deviceId} monitoring-data to update the control data.`,
        },
        actor: 'operator',
      }
      : { status: 'ok', facts: { awaiting: false }, summary: { zh: '没有等待中的监控数据更新', en: 'No control update waiting' } })),
  },
];
