import { GatewayError } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { fieldRows } from '../output/fieldRows.js';
import { runDeviceJob } from '../runDeviceJob.js';

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
  run(ctx) {
    const backup = ctx.options.backup;
    if (typeof backup !== 'string' || backup === '') throw new GatewayError('CLI_USAGE', { params: { detail: '--backup BACKUP is required' } });
    return runDeviceJob<RestoreResultView>(ctx, {
      path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/restore`,
      body: { backup, dryRun: ctx.options['dry-run'] === true },
      label: { 'zh-CN': '恢复任务', en: 'Restore job' }, resultKey: 'restore',
      show(result, { language }) {
        const zh = language === 'zh-CN';
        const lines = [zh
          ? `${result.dryRun ? '恢复计划' : '已恢复'}：${result.fromMachine} → ${result.toMachine}`
          : `${result.dryRun ? 'Restore plan' : 'Restored'}: ${result.fromMachine} → ${result.toMachine}`];
        for (const step of result.steps) {
          lines.push(`  ${result.dryRun ? '~' : '+'} ${step.what} (${step.command})`);
          for (const [field, value] of fieldRows(step.to)) lines.push(`      ${field}: ${value}`);
        }
        for (const what of result.alreadyEqual) lines.push(`  = ${what}`);
        for (const item of result.notRestored) lines.push(`  - ${item.what}: ${item.reason}`);
        return `${lines.join('\n')}\n`;
      },
    });
  },
};
