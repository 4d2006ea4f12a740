import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import type { Command, JobResultView } from '../Command.js';
import { cliText } from '../cliText.js';
import { confirmChange } from '../confirm.js';
import { fieldLabel, fieldValue } from '../output/fieldLabels.js';
import { fieldRows } from '../output/fieldRows.js';
import { followDeviceJob, runDeviceJob, showFinishedJob } from '../runDeviceJob.js';

interface RestoreResultView {
  fromMachine: string;
  toMachine: string;
  dryRun: boolean;
  applied: number;
  steps: { what: string; command: string; to: Record<string, unknown> }[];
  alreadyEqual: string[];
  notRestored: { what: string; reason: string }[];
}

const restoreView: JobResultView<RestoreResultView> = {
  kind: 'restore', resultKey: 'restore',
  show(result, { language }) {
    const zh = language === 'zh-CN';
    const lines = [zh
      ? `${result.dryRun ? '恢复计划' : '已恢复'}：${result.fromMachine} → ${result.toMachine}`
      : `${result.dryRun ? 'Restore plan' : 'Restored'}: ${result.fromMachine} → ${result.toMachine}`];
    for (const step of result.steps) {
      lines.push(`  ${result.dryRun ? '~' : '+'} ${fieldLabel(step.what, language)}${zh ? '' : ` (${step.command})`}`);
      for (const [field, value] of fieldRows(step.to)) lines.push(`      ${fieldLabel(field, language)}${zh ? '：' : ': '}${fieldValue(field, value, language)}`);
    }
    for (const what of result.alreadyEqual) lines.push(`  = ${fieldLabel(what, language)}${zh ? '（已一致）' : ''}`);
    for (const item of result.notRestored) lines.push(`  - ${fieldLabel(item.what, language)}${zh ? '：不恢复' : `: ${item.reason}`}`);
    return `${lines.join('\n')}\n`;
  },
};

export const restoreCommand: Command = {
  name: 'restore', summary: 'Put a backup\'s taxpayer parameters onto a replacement register (never fiscal memory)', usage: 'restore ID --backup BACKUP [--dry-run] [--yes]',
  positionals: [{ name: 'ID', required: true }],
  options: {
    backup: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    yes: { type: 'boolean' },
  },
  help: 'ID is the replacement register, initialized with the same taxpayer\'s cards; BACKUP a backup of the machine it replaces.\n'
    + 'First runs the plan (nothing written) and shows it; then asks on a terminal, elsewhere it needs --yes; then writes (62)\n'
    + 'and prints what was written, what already matched, and what is never restored. --dry-run stops after the plan.',
  jobView: restoreView,
  async run(ctx) {
    const backup = ctx.options.backup;
    if (typeof backup !== 'string' || backup === '') throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'optionRequired', { option: '--backup' }) } });
    const path = `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/restore`;
    const label = { 'zh-CN': '恢复任务', en: 'Restore job' };
    const dryRun = ctx.options['dry-run'] === true;
    if (!dryRun && ctx.options.yes !== true && !ctx.io.ask) {
      throw new GatewayError('CLI_USAGE', { params: { detail: cliText(ctx.language, 'needsYes') } });
    }
    // The plan is the daemon's own dry run: what the confirmation shows is what the real run is asked to do.
    const plan = await followDeviceJob(ctx, { path, body: { backup, dryRun: true }, label });
    // With --json --yes a plan that succeeded is not printed: stdout stays one JSON document, the real run's.
    if (dryRun || plan.state !== 'succeeded' || !ctx.json) {
      const planned = showFinishedJob(ctx, plan, restoreView);
      if (dryRun || planned !== ExitCode.ok) return planned;
    }
    const zh = ctx.language === 'zh-CN';
    if (!(await confirmChange(ctx, [zh ? '按上面的恢复计划写入收款机' : 'write the plan above to the register']))) return ExitCode.failed;
    return runDeviceJob<RestoreResultView>(ctx, { path, body: { backup, dryRun: false }, label, ...restoreView });
  },
};
