import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';

interface BackupView { id: string; createdAt: string; machineNumber: string; counts: Record<string, number>; problems: number; bytes: number }

export const backupsCommand: Command = {
  name: 'backups', summary: 'List the backups of a register, newest first', usage: 'backups ID',
  positionals: [{ name: 'ID', required: true }],
  async run(ctx) {
    const id = ctx.positionals[0]!;
    const { backups } = await ctx.client.get<{ backups: BackupView[] }>(`/v1/devices/${encodeURIComponent(id)}/backups`);
    if (ctx.json) {
      ctx.printJson({ backups });
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    if (backups.length === 0) {
      ctx.print(zh ? `${id} 没有备份\n` : `No backups of ${id}\n`);
      return ExitCode.ok;
    }
    const lines = [zh ? '编号          创建时间(UTC)              发票    日数据  问题  字节' : 'ID            CREATED (UTC)              INVOICES DAILY  PROBLEMS BYTES'];
    for (const b of backups) {
      lines.push(`${b.id}  ${b.createdAt.padEnd(25)}  ${String(b.counts.invoices ?? 0).padStart(7)} ${String(b.counts.daily ?? 0).padStart(6)}  ${String(b.problems).padStart(8)} ${b.bytes}`);
    }
    ctx.print(`${lines.join('\n')}\n`);
    return ExitCode.ok;
  },
};
