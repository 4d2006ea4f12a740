import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

interface DeregistrationView { summary: string; technician: { 'zh-CN': string; en: string }; backup: { backupId: string } }

export const deregisterCommand: Command = {
  name: 'deregister', summary: 'Retire a register (注销): verified backup, final state, service record for the tax office',
  usage: 'deregister ID [--allow-undeclared] [--note TEXT]',
  positionals: [{ name: 'ID', required: true }],
  options: { 'allow-undeclared': { type: 'boolean' }, note: { type: 'string' } },
  help: 'Prints the service record (zh-CN) to hand in with the fiscal card. Refused while sales after the last declaration remain,\n'
    + 'unless --allow-undeclared (the tax office agreed). The gateway changes no fiscal data and cannot punch the card: take it out.',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const note = ctx.options.note;
    const body = { allowUndeclared: ctx.options['allow-undeclared'] === true, ...(typeof note === 'string' ? { note } : {}) };
    const started = await ctx.client.post<{ job: JobView }>(`/v1/devices/${encodeURIComponent(id)}/deregister`, body, { 'idempotency-key': randomUUID() });
    if (!ctx.json) ctx.io.stderr.write(ctx.language === 'zh-CN' ? `注销任务 ${started.job.id}\n` : `Deregistration job ${started.job.id}\n`);
    const job = await watchJob(ctx, started.job.id);
    const result = job.result as DeregistrationView | null;
    if (ctx.json) {
      ctx.printJson({ job, deregistration: result });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded' || !result) {
      ctx.print(describeEnd(job, ctx.language));
      return jobExitCode(job);
    }
    ctx.print(`${result.summary}\n${result.technician[ctx.language]}\n`);
    return ExitCode.ok;
  },
};
