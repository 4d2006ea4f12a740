import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { cliText } from '../cliText.js';
import { resolveJobId } from '../resolveJobId.js';
import { stateLabel } from '../output/stateLabels.js';
import type { JobView } from '../types.js';

export const cancelCommand: Command = {
  name: 'cancel', summary: 'Cancel a running or waiting job', usage: 'cancel JOB',
  positionals: [{ name: 'JOB', required: true }],
  help: 'JOB may be the first characters of the id, as tables show it. A job in a critical stage (writing to the register or a\n'
    + 'card) stops when that stage ends. A job already finished: JOB_ALREADY_FINISHED, exit 1.',
  async run(ctx) {
    const id = await resolveJobId(ctx, ctx.positionals[0]!);
    const answer = await ctx.client.post<{ job: JobView; deferred: boolean }>(`/v1/jobs/${encodeURIComponent(id)}/cancel`);
    if (ctx.json) {
      ctx.printJson(answer);
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    const deferred = answer.deferred ? (zh ? '（正处于关键步骤，该步骤完成后停止）' : ' (in a critical stage: it stops when that stage ends)') : '';
    ctx.print(`${cliText(ctx.language, 'cancelAsked', { id })}${deferred}; ${zh ? '状态' : 'state'} ${stateLabel(answer.job.state, ctx.language)}\n`.replace('; 状态', '；状态'));
    return ExitCode.ok;
  },
};
