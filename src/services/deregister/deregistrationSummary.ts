import { DEFAULT_REGISTER_UTC_OFFSET_MINUTES, formatUtcOffset, localDateTime } from '../../../protocols/gb-link/registerTimeZone.js';
import { money } from '../common/money.js';
import type { FinalState } from './FinalState.js';

export interface SummaryFacts {
  readonly state: FinalState;
  readonly backup: { readonly backupId: string; readonly createdAt: string; readonly verifiedAt: string; readonly reused: boolean };
  readonly operator: string;
  readonly undeclaredSince: string | undefined;
  readonly allowUndeclared: boolean;
  readonly note?: string;
  /** The register time zone (minutes east of UTC) the record's times are written in; China Standard Time by default. */
  readonly utcOffsetMinutes?: number;
}

const yes = (value: boolean) => (value ? '是' : '否');

/**
 * The printable service record of a deregistration (注销服务记录) in zh-CN: what the tax office's form
 * asks for (machine and fiscal card numbers, taxpayer, final counters, the last declaration, the
 * verified backup) and what the technician must still do by hand, with lines for the signatures.
 */
export function deregistrationSummary(facts: SummaryFacts): string {
  const { state, backup } = facts;
  const offset = facts.utcOffsetMinutes ?? DEFAULT_REGISTER_UTC_OFFSET_MINUTES;
  // The gateway's instants (UTC) as the register's wall clock, the zone said once at the record time.
  const local = (iso: string) => (Number.isNaN(Date.parse(iso)) ? iso : localDateTime(Date.parse(iso), offset).replace('T', ' '));
  const c = state.counters;
  const d = state.lastDeclaration;
  const roll = state.status.currentRoll;
  const card = state.fiscalCard;
  const lines = [
    '税控收款机注销服务记录',
    '========================',
    `机器编号：${state.register.machineNumber}`,
    `型号：${state.register.model}　固件版本：${state.register.firmwareVersion}`,
    `纳税人名称：${state.taxpayer.taxpayerName}`,
    `纳税人识别号：${state.taxpayer.taxpayerId}`,
    `纳税人编号：${state.taxpayer.taxpayerNumber}`,
    `主管税务机关代码：${state.taxpayer.officeCode}`,
    `税控卡号：${state.fiscalCardNumber}`,
    `初始化日期：${state.taxpayer.initializationDate}`,
    '',
    '最终状态',
    `  税控状态：${yes(state.status.fiscalMode)}　开票截止日期：${state.status.issueDeadline ?? '无'}　待监控数据更新：${yes(state.status.awaitingControlUpdate)}`,
    d === null
      ? '  最后申报：无'
      : `  最后申报：第 ${d.seq} 次，${d.start} 至 ${d.end}，申报于 ${d.declaredAt.replace('T', ' ')}，正常金额 ${money(d.validTotal).yuan} 元，退票金额 ${money(d.returnTotal).yuan} 元`,
    `  最后签名日：${state.status.lastSignedDay ?? '无'}`,
    `  未申报期间：${facts.undeclaredSince === undefined ? '无' : `自 ${facts.undeclaredSince} 起${facts.allowUndeclared ? '（经同意直接注销）' : ''}`}`,
    `  发票总数：${c.invoices}　日交易记录：${c.dailyRecords}　申报记录：${c.declarations}　分发发票卷：${c.distributedRolls}　发票卷汇总：${c.rollSummaries ?? '未知'}　初始化/变更记录：${c.initializations ?? '未知'}`,
    state.lastInvoice === null ? '  最后一张发票：无' : `  最后一张发票：代码 ${state.lastInvoice.invoiceCode} 号码 ${state.lastInvoice.number}，开具于 ${state.lastInvoice.issuedAt.replace('T', ' ')}`,
    roll === null ? '  当前发票卷：无' : `  当前发票卷：代码 ${roll.invoiceCode}，下一号 ${roll.nextNumber}，止号 ${roll.endNumber}（未用 ${Math.max(0, roll.endNumber - roll.nextNumber + 1)} 份）`,
    card.present
      ? `  税控卡：${card.cardNumber}，${card.registered === null ? '注册状态不确定' : card.registered ? '已注册' : '未注册'}，已装发票卷 ${card.mountedRolls} 卷，口令剩余次数 ${card.pinTriesLeft ?? '未知'}（注销过程未校验口令）`
      : `  税控卡：不在卡槽中（${card.reasonZh ?? card.reason}）`,
    '',
    `数据备份：${backup.backupId}（生成于 ${local(backup.createdAt)}，校验于 ${local(backup.verifiedAt)}${backup.reused ? '，一小时内已有的备份' : ''}）`,
    `操作员：${facts.operator}　记录时间：${local(state.readAt)}（UTC${formatUtcOffset(offset)}）`,
    ...(facts.note === undefined ? [] : [`备注：${facts.note}`]),
    '',
    '说明：网关没有更改收款机的税控存储器（依法只写不改，数据已备份）。网关已给税控卡断电。',
    '请技术人员从收款机取出税控卡，交税务机关收回并剪角作废；本网关无法替代这一步。',
    '',
    '技术人员签字：__________　　纳税人签字：__________　　税务机关经办人：__________',
  ];
  return `${lines.join('\n')}\n`;
}
