import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

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
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const body = { allowLastPinTry: ctx.options['allow-last-pin-try'] === true };
    const started = await ctx.client.post<{ job: JobView }>(`/v1/devices/${encodeURIComponent(id)}/rolls`, body, { 'idempotency-key': randomUUID() });
    if (!ctx.json) ctx.io.stderr.write(ctx.language === 'zh-CN' ? `发票分发任务 ${started.job.id}\n` : `Roll job ${started.job.id}\n`);
    const job = await watchJob(ctx, started.job.id);
    const result = job.result as RollResultView | null;
    if (ctx.json) {
      ctx.printJson({ job, roll: result });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded' || !result) {
      ctx.print(describeEnd(job, ctx.language));
      // What the failed run changed decides what to do next (never distribute again over a roll in doubt).
      const data = (job.error as { data?: { changed?: { 'zh-CN': string; en: string }; triesLeft?: number | null } } | null)?.data;
      if (typeof data?.triesLeft === 'number') ctx.print(`  ${ctx.language === 'zh-CN' ? '税控卡口令剩余次数' : 'Fiscal card PIN tries left'}: ${data.triesLeft}\n`);
      if (data?.changed) ctx.print(`  ${data.changed[ctx.language]}\n`);
      return jobExitCode(job);
    }
    const zh = ctx.language === 'zh-CN';
    const r = result.roll;
    const lines = [
      zh ? `发票卷 ${r.invoiceCode} ${r.start}–${r.end}（${r.numbers} 份）已写入税控卡${result.recovered ? '（上次中断的分发已补完）' : ''}`
        : `Roll ${r.invoiceCode} ${r.start}–${r.end} (${r.numbers} numbers) mounted on the fiscal card${result.recovered ? ' (finishing an interrupted distribution)' : ''}`,
      zh ? `用户卡剩余发票卷：${result.rollsLeftOnUserCard ?? '未知'}　税控卡上的发票卷：${result.rollsOnFiscalCard}　口令剩余次数：${result.pinTriesLeft ?? '未知'}`
        : `Rolls left on the user card: ${result.rollsLeftOnUserCard ?? 'unknown'}; rolls on the fiscal card: ${result.rollsOnFiscalCard}; PIN tries left: ${result.pinTriesLeft ?? 'unknown'}`,
      ...result.warnings.map((w) => `  ! ${w}`),
    ];
    ctx.print(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
