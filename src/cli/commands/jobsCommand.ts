import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { actionLabel } from '../output/actionLabels.js';
import { displayTime } from '../output/displayTime.js';
import { stateLabel } from '../output/stateLabels.js';
import { renderTable } from '../output/table.js';
import type { JobView } from '../types.js';

export const jobsCommand: Command = {
  name: 'jobs', summary: 'List recent jobs, newest first', usage: 'jobs [--device ID] [--state STATE] [--limit N]', positionals: [],
  help: 'STATE is running, waiting, succeeded, failed or cancelled; N is 1 to 1000 (default 100). fiscalctl watch JOB follows one, cancel JOB stops it;\n'
    + '--json also gives the operator, parameters and result of each.',
  options: { device: { type: 'string' }, state: { type: 'string' }, limit: { type: 'string' } },
  async run(ctx) {
    const query = new URLSearchParams();
    for (const name of ['device', 'state', 'limit'] as const) {
      const value = ctx.options[name];
      if (typeof value === 'string') query.set(name, value);
    }
    const { jobs } = await ctx.client.get<{ jobs: JobView[] }>(`/v1/jobs${query.size ? `?${query}` : ''}`);
    if (ctx.json) {
      ctx.printJson({ jobs });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    // The id stays whole (fiscalctl watch takes it); how a job failed goes on a line of its own under it.
    ctx.print(renderTable(
      zh ? ['任务编号', '类型', '设备', '状态', '进度', '创建时间'] : ['ID', 'KIND', 'DEVICE', 'STATE', 'DONE', 'CREATED'],
      jobs.map((j) => [j.id, actionLabel(j.kind, ctx.language), j.deviceId, stateLabel(j.state, ctx.language), `${Math.round(j.fraction * 100)}%`, displayTime(j.createdAt, 'short')]),
      { keep: [0, 2], notes: jobs.map((j) => j.error && `${j.error.code}: ${zh ? j.error.messageZh : j.error.message}`) },
    ));
    return ExitCode.ok;
  },
};
