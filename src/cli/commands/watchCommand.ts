import type { Command } from '../Command.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

export const watchCommand: Command = {
  name: 'watch', summary: 'Follow a job to its end (progress bar on a terminal)', usage: 'watch JOB',
  positionals: [{ name: 'JOB', required: true }],
  help: 'Exit code: 0 when the job succeeded, otherwise the exit code of its error (1 failed, 3 refused, 4 busy, 5 unreachable).',
  async run(ctx) {
    const job = await watchJob(ctx, ctx.positionals[0]!);
    if (ctx.json) ctx.printJson(job);
    else ctx.print(describeEnd(job, ctx.language));
    return jobExitCode(job);
  },
};
