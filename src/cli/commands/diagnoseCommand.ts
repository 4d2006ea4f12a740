import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

interface Finding { check: string; severity: string; zh: string; en: string; remedyZh?: string; remedyEn?: string }
interface Report { verdict: string; summary: { zh: string; en: string }; findings: Finding[] }

const marks: Record<string, string> = { ok: 'ok  ', info: 'info', warning: 'WARN', fault: 'FAIL' };

export const diagnoseCommand: Command = {
  name: 'diagnose', summary: 'Run fault diagnostics on a register and explain the result in plain words', usage: 'diagnose ID',
  positionals: [{ name: 'ID', required: true }],
  help: 'Exit code: 0 when the diagnostics ran (read the verdict), 4 if the register is busy, 5 if it cannot be reached.',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const started = await ctx.client.post<{ job: JobView; report: string }>(
      `/v1/devices/${encodeURIComponent(id)}/diagnostics`, undefined, { 'idempotency-key': randomUUID() });
    if (!ctx.json) ctx.io.stderr.write(ctx.language === 'zh-CN' ? `诊断任务 ${started.job.id}\n` : `Diagnostics job ${started.job.id}\n`);
    const job = await watchJob(ctx, started.job.id);
    const report = job.result as Report | null;
    if (ctx.json) {
      ctx.printJson({ job, report });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded' || !report) {
      ctx.print(describeEnd(job, ctx.language));
      return jobExitCode(job);
    }
    const zh = ctx.language === 'zh-CN';
    const lines = [zh ? report.summary.zh : report.summary.en];
    for (const f of report.findings) {
      lines.push(`  [${marks[f.severity] ?? f.severity}] ${zh ? f.zh : f.en}`);
      const remedy = zh ? f.remedyZh : f.remedyEn;
      if (remedy && f.severity !== 'ok') lines.push(`         → ${remedy}`);
    }
    ctx.print(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
