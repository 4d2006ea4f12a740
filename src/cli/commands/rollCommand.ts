import type { Command } from '../Command.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface RollResultView {
  roll: { invoiceCode: string; start: number; end: number; numbers: number };
  recovered: boolean; rollsLeftOnUserCard: number | null; rollsOnFiscalCard: number; pinTriesLeft: number | null; warnings: string[];
}

export const rollCommand: Command = {
  name: 'roll', summary: 'Distribute one invoice roll from the user card onto the register\'s fiscal card (发票分发)', usage: 'roll ID [--allow-last-pin-try]',
  positionals: [{ name: 'ID', required: true }],
  options: { 'allow-last-pin-try': { type: 'boolean' } },
  help: 'The user card must be in the register\'s user slot. A roll an interrupted run left distributed is mounted instead; none is distributed twice.\n'
    + 'The register checks the fiscal PIN it holds; with one try left that is refused unless --allow-last-pin-try.',
  run: (ctx) => runDeviceJob<RollResultView>(ctx, {
    path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/rolls`,
    body: { allowLastPinTry: ctx.options['allow-last-pin-try'] === true },
    label: { 'zh-CN': '发票分发任务', en: 'Roll job' }, resultKey: 'roll',
    show(result, { language }) {
      const zh = language === 'zh-CN';
      const r = result.roll;
      return `${[
        zh ? `发票卷 ${r.invoiceCode} ${r.start}–${r.end}（${r.numbers} 份）已写入税控卡${result.recovered ? '（上次中断的分发已补完）' : ''}`
          : `Roll ${r.invoiceCode} ${r.start}–${r.end} (${r.numbers} numbers) mounted on the fiscal card${result.recovered ? ' (finishing an interrupted distribution)' : ''}`,
        zh ? `用户卡剩余发票卷：${result.rollsLeftOnUserCard ?? '未知'}　税控卡上的发票卷：${result.rollsOnFiscalCard}　口令剩余次数：${result.pinTriesLeft ?? '未知'}`
          : `Rolls left on the user card: ${result.rollsLeftOnUserCard ?? 'unknown'}; rolls on the fiscal card: ${result.rollsOnFiscalCard}; PIN tries left: ${result.pinTriesLeft ?? 'unknown'}`,
        ...result.warnings.map((w) => `  ! ${w}`),
      ].join('\n')}\n`;
    },
  }),
};
