import { randomUUID } from 'node:crypto';
import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import type { JobView } from '../types.js';
import { describeEnd, jobExitCode, watchJob } from '../watchJob.js';

interface RestoreResultView {
  fromMachine: string;
  toMachine: string;
  dryRun: boolean;
  applied: number;
  steps: { what: string; command: string; to: Record<string, unknown> }[];
  alreadyEqual: string[];
  notRestored: { what: string; reason: string }[];
}

export const restoreCommand: Command = {
  name: 'restore', summary: 'Put a backup\'s taxpayer parameters onto a replacement register (never fiscal memory)', usage: 'restore ID --backup BACKUP [--dry-run]',
  positionals: [{ name: 'ID', required: true }],
  options: {
    backup: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
  },
  help: 'ID is the replacement register, initialized with the same taxpayer\'s cards; BACKUP a backup of the machine it replaces.\n'
    + 'Prints what was written (62), what already matched, and what is never restored. --dry-run writes nothing.',
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const backup = ctx.options.backup;
    if (typeof backup !== 'string' || backup === '') {
      ctx.io.stderr.write(ctx.language === 'zh-CN' ? '需要 --backup BACKUP\n' : '--backup BACKUP is required\n');
      return ExitCode.usage;
    }
    const started = await ctx.client.post<{ job: JobView }>(`/v1/devices/${encodeURIComponent(id)}/restore`,
      { backup, dryRun: ctx.options['dry-run'] === true }, { 'idempotency-key': randomUUID() });
    const job = await watchJob(ctx, started.job.id);
    const result = job.result as RestoreResultView | null;
    if (ctx.json) {
      ctx.printJson({ job, restore: result });
      return jobExitCode(job);
    }
    if (job.state !== 'succeeded' || !result) {
      ctx.print(describeEnd(job, ctx.language));
      return jobExitCode(job);
    }
    const zh = ctx.language === 'zh-CN';
    const lines = [zh
      ? `${result.dryRun ? '恢复计划' : '已恢复'}：${result.fromMachine} → ${result.toMachine}`
      : `${result.dryRun ? 'Restore plan' : 'Restored'}: ${result.fromMachine} → ${result.toMachine}`];
    for (const step of result.steps) lines.push(`  ${result.dryRun ? '~' : '+'} ${step.what} (${step.command}): ${JSON.stringify(step.to)}`);
    for (const what of result.alreadyEqual) lines.push(`  = ${what}`);
    for (const item of result.notRestored) lines.push(`  - ${item.what}: ${item.reason}`);
    ctx.print(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
