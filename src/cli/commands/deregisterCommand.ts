import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command, JobResultView } from '../Command.js';
import { confirmChange, printPlan } from '../confirm.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface DeregistrationView { summary: string; technician: { 'zh-CN': string; en: string }; backup: { backupId: string } }

const deregistrationView: JobResultView<DeregistrationView> = {
  kind: 'deregister', resultKey: 'deregistration',
  // The printable record (Chinese, for the tax office) already ends with what the technician must do: said once.
  show: (result, { language }) => (language === 'zh-CN' ? `${result.summary}\n` : `${result.summary}\n${result.technician.en}\n`),
};

export const deregisterCommand: Command = {
  name: 'deregister', summary: 'Retire a register (注销): verified backup, final state, service record for the tax office',
  usage: 'deregister ID [--yes] [--dry-run] [--allow-undeclared] [--note TEXT]',
  positionals: [{ name: 'ID', required: true }],
  options: { 'allow-undeclared': { type: 'boolean' }, note: { type: 'string' }, yes: { type: 'boolean' }, 'dry-run': { type: 'boolean' } },
  help: 'Prints the service record (zh-CN) to hand in with the fiscal card. Refused while sales after the last declaration remain,\n'
    + 'unless --allow-undeclared (the tax office agreed). The gateway changes no fiscal data and cannot punch the card: take it out.\n'
    + 'It cannot be undone: it asks on a terminal, elsewhere it needs --yes. --dry-run shows what it would do.',
  jobView: deregistrationView,
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const note = ctx.options.note;
    const zh = ctx.language === 'zh-CN';
    const plan = zh
      ? [`注销收款机 ${id}（不可撤销）：`, '1. 做一份校验过的完整备份（已有且仍为最新的备份则直接使用）',
        `2. 读取并记录最终状态${ctx.options['allow-undeclared'] === true ? '（税务机关已同意：上次申报后的销售不阻止注销）' : '（上次申报后仍有销售则拒绝）'}`,
        '3. 生成交税务机关的服务记录；税控数据不作任何改变，卡须取出交回']
      : [`deregister register ${id} (cannot be undone):`, '1. make a complete verified backup (or use a current one)',
        `2. read and record the final state${ctx.options['allow-undeclared'] === true ? ' (the tax office agreed: undeclared sales do not stop it)' : ' (refused while sales after the last declaration remain)'}`,
        '3. write the service record for the tax office; no fiscal data is changed, the card is taken out and handed in'];
    if (ctx.options['dry-run'] === true) {
      printPlan(ctx, plan);
      return ExitCode.ok;
    }
    if (!(await confirmChange(ctx, plan))) return ExitCode.failed;
    return runDeviceJob<DeregistrationView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(id)}/deregister`,
      body: { allowUndeclared: ctx.options['allow-undeclared'] === true, ...(typeof note === 'string' ? { note } : {}) },
      label: { 'zh-CN': '注销任务', en: 'Deregistration job' }, ...deregistrationView,
    });
  },
};
