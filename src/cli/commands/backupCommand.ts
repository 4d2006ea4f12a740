import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

interface BackupProblemView { check: string; kind: string; message: string }
interface BackupResultView { backupId: string; counts: Record<string, number>; problemCount: number; problems: BackupProblemView[] }

export const backupCommand: Command = {
  name: 'backup', summary: 'Back up everything a register and its slot cards hold (数据备份), verified', usage: 'backup ID',
  positionals: [{ name: 'ID', required: true }],
  help: 'Prints the backup id, the counts per kind and every completeness problem found. Exit 0 when the backup was made and verified.',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const started = await ctx.client.post<{ job: JobView }>(`/v1/devices/${encodeURIComponent(id)}/backups`, undefined, { 'idempotency-key': randomUUID() });
    if (!ctx.json) ctx.io.stderr.write(ctx.language === 'zh-CN' ? `备份任务 ${started.job.id}\n` : `Backup job ${started.job.id}\n`);
    const job = await watchJob(ctx, started.job.id);
    const result = job.result as BackupResultView | null;
    if (ctx.json) {
      ctx.printJson({ job, backup: result });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded' || !result) {
      ctx.print(describeEnd(job, ctx.language));
      return jobExitCode(job);
    }
    const zh = ctx.language === 'zh-CN';
    const lines = [zh ? `备份 ${result.backupId} 已完成并校验` : `Backup ${result.backupId} made and verified`];
    for (const [kind, count] of Object.entries(result.counts)) lines.push(`  ${kind.padEnd(20)} ${count}`);
    if (result.problemCount > 0) {
      lines.push(zh ? `发现 ${result.problemCount} 个问题（已记入备份清单）：` : `${result.problemCount} problem(s) found (named in the manifest):`);
      for (const p of result.problems) lines.push(`  [${p.check}] ${p.kind}: ${p.message}`);
    }
    ctx.print(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
