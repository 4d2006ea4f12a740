import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command, JobResultView } from '../Command.js';
import { confirmChange, printPlan } from '../confirm.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface RollResultView {
  roll: { invoiceCode: string; start: number; end: number; numbers: number };
  recovered: boolean; rollsLeftOnUserCard: number | null; rollsOnFiscalCard: number; pinTriesLeft: number | null; warnings: string[];
}

const rollView: JobResultView<RollResultView> = {
  kind: 'roll', resultKey: 'roll',
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
};

export const rollCommand: Command = {
  name: 'roll', summary: 'Distribute one invoice roll from the user card onto the register\'s fiscal card (发票分发)', usage: 'roll ID [--yes] [--dry-run] [--allow-last-pin-try]',
  positionals: [{ name: 'ID', required: true }],
  options: { 'allow-last-pin-try': { type: 'boolean' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  help: 'The user card must be in the register\'s user slot. A roll an interrupted run left distributed is mounted instead; none is distributed twice.\n'
    + 'The register checks the fiscal PIN it holds; with one try left that is refused unless --allow-last-pin-try.\n'
    + 'Asks before it starts on a terminal; elsewhere it needs --yes. --dry-run shows what it would do.',
  jobView: rollView,
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const zh = ctx.language === 'zh-CN';
    const plan = [zh ? `从收款机 ${id} 用户卡槽中的用户卡取一卷发票，分发到其税控卡上（发票卷一经分发不可退回）` : `take one invoice roll from the user card in register ${id}'s user slot onto its fiscal card (a distributed roll cannot be taken back)`];
    if (ctx.options['dry-run'] === true) {
      printPlan(ctx, plan);
      return ExitCode.ok;
    }
    if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
    return runDeviceJob<RollResultView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(id)}/rolls`,
      body: { allowLastPinTry: ctx.options['allow-last-pin-try'] === true },
      label: { 'zh-CN': '发票分发任务', en: 'Roll job' }, ...rollView,
    });
  },
};
