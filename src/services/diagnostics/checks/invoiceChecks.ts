import type { CheckDefinition } from './CheckDefinition.js';
import { needs, notRun, STATUS_41 } from './CheckDefinition.js';

/** Warn when the mounted roll has fewer numbers than this left. */
export const ROLL_WARNING_LEFT = 50;
/** Warn when the accumulated amount reaches this share of the cumulative limit. */
export const LIMIT_WARNING_SHARE = 0.9;

export const invoiceChecks: readonly CheckDefinition[] = [
  {
    id: 'invoices.roll',
    measures: { zh: '当前发票卷剩余号码', en: 'Numbers left on the mounted invoice roll' },
    evaluate: (o) => needs(o.status, STATUS_41, (facts) => {
      const status = facts.detail;
      if (status === undefined) return notRun('状态读数不含发票卷', 'The status read gives no roll');
      if (!status.initialized) return notRun('收款机尚未初始化，此项不适用', 'The register is not initialized; this does not apply');
      const roll = status.currentRoll;
      if (roll === null) {
        return {
          status: 'warning', facts: { mounted: false }, code: 'ER 29',
          summary: { zh: '没有可用的发票卷', en: 'No invoice roll is mounted' },
          impact: { zh: '不能开具发票', en: 'No invoice can be issued' },
          remedy: { zh: `插入已购票的用户卡，分发发票卷（fiscalctl roll ${o.deviceId}）。`, en: `Insert the user card holding purchased rolls and distribute one (fiscalctl roll ${o.deviceId}).` },
          actor: 'operator',
        };
      }
      const left = Math.max(0, roll.endNumber - roll.nextNumber + 1);
      const measured = { invoiceCode: roll.invoiceCode, nextNumber: roll.nextNumber, endNumber: roll.endNumber, left };
      if (left >= ROLL_WARNING_LEFT) return { status: 'ok', facts: measured, summary: { zh: `当前发票卷还剩 ${left} 张`, en: `${left} invoices left on the mounted roll` } };
      return {
        status: left === 0 ? 'fault' : 'warning', facts: measured, code: left === 0 ? 'ER 29' : undefined,
        summary: left === 0 ? { zh: '当前发票卷已用完', en: 'The mounted roll is used up' } : { zh: `当前发票卷只剩 ${left} 张`, en: `Only ${left} invoices left on the mounted roll` },
        impact: { zh: '用完后不能开具发票', en: 'Once used up, no invoice can be issued' },
        remedy: { zh: '准备下一卷：用户卡中没有已购发票时先到税务机关购票，再分发发票卷。', en: 'Prepare the next roll: buy invoices at the tax office if the user card holds none, then distribute a roll.' },
        actor: 'operator',
      };
    }),
  },
  {
    id: 'limits.cumulative',
    measures: { zh: '本期累计开票金额占累计限额的比例（税控卡）', en: "This period's issued amount against the cumulative limit (fiscal card)" },
    evaluate: (o) => needs(o.fiscalCard, { zh: '税控卡', en: 'fiscal card' }, (card) => {
      const fiscal = card?.fiscal;
      if (fiscal === undefined) return notRun('没有可读的税控卡', 'No fiscal card could be read');
      const used = fiscal.accumulated.validTotal.fen;
      const limit = fiscal.monitoring.cumulative.fen;
      if (limit === 0) return notRun('税控卡没有累计限额', 'The fiscal card holds no cumulative limit');
      const percent = Math.floor((used / limit) * 1000) / 10;
      const measured = { issuedYuan: fiscal.accumulated.validTotal.yuan, limitYuan: fiscal.monitoring.cumulative.yuan, percent, singleLimitYuan: fiscal.monitoring.singleInvoice.yuan };
      if (used < limit * LIMIT_WARNING_SHARE) return { status: 'ok', facts: measured, summary: { zh: `累计限额已用 ${percent}%`, en: `${percent}% of the cumulative limit used` } };
      const reached = used >= limit;
      return {
        status: reached ? 'fault' : 'warning', facts: measured, code: reached ? 'ER 13' : undefined,
        summary: reached
          ? { zh: `已达累计开票限额（${fiscal.monitoring.cumulative.yuan} 元）`, en: `The cumulative limit (${fiscal.monitoring.cumulative.yuan} yuan) is reached` }
          : { zh: `累计限额已用 ${percent}%`, en: `${percent}% of the cumulative limit used` },
        impact: { zh: '达到限额后不能再开票', en: 'At the limit no more invoices can be issued' },
        remedy: { zh: '尽快申报并完税，完税后更新监控数据，限额即重新计算。', en: 'Declare and pay soon; after the control update the limit counts afresh.' },
        actor: 'operator',
      };
    }),
  },
];
