import type { Command } from '../Command.js';
import { renderTable } from '../output/table.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface BackupProblemView { check: string; kind: string; message: string }
interface BackupResultView { backupId: string; counts: Record<string, number>; problemCount: number; problems: BackupProblemView[] }

export const backupCommand: Command = {
  name: 'backup', summary: 'Back up everything a register and its slot cards hold (数据备份), verified', usage: 'backup ID',
  positionals: [{ name: 'ID', required: true }],
  help: 'Prints the backup id, the counts per kind and every completeness problem found. Exit 0 when the backup was made and verified.',
  run: (ctx) => runDeviceJob<BackupResultView>(ctx, {
    path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/backups`,
    label: { 'zh-CN': '备份任务', en: 'Backup job' }, resultKey: 'backup',
    show(result, { language }) {
      const zh = language === 'zh-CN';
      const lines = [zh ? `备份 ${result.backupId} 已完成并校验` : `Backup ${result.backupId} made and verified`];
      lines.push(renderTable(zh ? ['数据', '条数'] : ['Kind', 'Count'], Object.entries(result.counts)).trimEnd());
      if (result.problemCount > 0) {
        lines.push(zh ? `发现 ${result.problemCount} 个问题（已记入备份清单）：` : `${result.problemCount} problem(s) found (named in the manifest):`);
        lines.push(renderTable(zh ? ['检查', '数据', '说明'] : ['Check', 'Kind', 'Problem'], result.problems.map((p) => [p.check, p.kind, p.message])).trimEnd());
      }
      return `${lines.join('\n')}\n`;
    },
  }),
};
