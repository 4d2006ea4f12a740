import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';
import { displayTime } from '../output/displayTime.js';
import { renderTable } from '../output/table.js';

interface BackupView { id: string; createdAt: string; machineNumber: string; counts: Record<string, number>; problems: number; bytes: number }

export const backupsCommand: Command = {
  name: 'backups', summary: 'List the backups of a register, newest first', usage: 'backups ID',
  positionals: [{ name: 'ID', required: true }],
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const { backups } = await ctx.client.get<{ backups: BackupView[] }>(`/v1/devices/${encodeURIComponent(id)}/backups`);
    // Backups outlive their register (listed by machine number); none and no such register is a not-found (exit 1).
    if (backups.length === 0) await ctx.client.get(`/v1/devices/${encodeURIComponent(id)}`);
    if (ctx.json) {
      ctx.printJson({ backups });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    if (backups.length === 0) {
      ctx.print(zh ? `${id} 没有备份\n` : `No backups of ${id}\n`);
      return ExitCode.ok;
    }
    ctx.print(renderTable(
      zh ? ['备份编号', '创建时间', '发票', '日数据', '问题', '字节'] : ['ID', 'CREATED', 'INVOICES', 'DAILY', 'PROBLEMS', 'BYTES'],
      backups.map((b) => [b.id, displayTime(b.createdAt), b.counts.invoices ?? 0, b.counts.daily ?? 0, b.problems, b.bytes]),
      { keep: [0] },
    ));
    return ExitCode.ok;
  },
};
