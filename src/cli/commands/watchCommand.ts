import type { Command } from '../Command.js';
import { resolveJobId } from '../resolveJobId.js';
import { showFinishedJob } from '../runDeviceJob.js';
import type { JobView } from '../types.js';
import { watchJob } from '../watchJob.js';

export const watchCommand: Command = {
  name: 'watch', summary: 'Follow a job to its end (progress bar on a terminal); a finished job shows its result again', usage: 'watch JOB',
  positionals: [{ name: 'JOB', required: true }],
  help: 'JOB may be the first characters of the id, as tables show it. Exit code: 0 when the job succeeded, otherwise the exit\n'
    + 'code of its error (1 failed, 3 refused, 4 busy, 5 unreachable). Ctrl-C: on a terminal, asks whether to cancel the job\n'
    + 'or leave it running; otherwise leaves it running (exit 130). --json prints { job, <result> } as the starting command does.',
  async run(ctx) {
    const id = await resolveJobId(ctx, ctx.positionals[0]!);
    const current = await ctx.client.get<JobView>(`/v1/jobs/${encodeURIComponent(id)}`);
    const job = current.state === 'running' || current.state === 'waiting' ? await watchJob(ctx, id) : current;
    const view = ctx.commands.find((command) => command.jobView?.kind === job.kind)?.jobView;
    return showFinishedJob(ctx, job, view);
  },
};
