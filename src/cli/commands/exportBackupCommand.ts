import { ExitCode } from '../../../contracts/errors/index.js';
import type { Command } from '../Command.js';

interface StickExportView { backupId: string; mountPoint: string; path: string; checksumPath: string; bytes: number; sha256: string; filesVerified: number }

export const exportBackupCommand: Command = {
  name: 'export-backup', summary: 'Copy a backup onto a USB stick (U盘) as one archive, read it back and verify it', usage: 'export-backup BACKUP [--to MOUNTPOINT]',
  positionals: [{ name: 'BACKUP', required: true }],
  options: { to: { type: 'string' } },
  help: 'The backup must still verify. It lands as FISCAL/BACKUP/<machine>/<name>.tar with a .sha256 beside it on the first\n'
    + 'writable removable volume, or on the one mounted at --to; every file inside the copy is checked before this answers.',
  async run(ctx) {
    const backup = ctx.positionals[0]!;
    const to = ctx.options.to;
    const body = typeof to === 'string' && to !== '' ? { mountPoint: to } : {};
    const copy = await ctx.client.post<StickExportView>(`/v1/backups/${encodeURIComponent(backup)}/export`, body);
    if (ctx.json) {
      ctx.printJson(copy);
      return ExitCode.ok;
    }
    const zh = ctx.language === 'zh-CN';
    ctx.print(zh
      ? `已导出到 U 盘并校验（${copy.filesVerified} 个文件）：${copy.path}\n  SHA-256 ${copy.sha256}（${copy.bytes} 字节）\n`
      : `Exported to the USB stick and verified (${copy.filesVerified} files): ${copy.path}\n  SHA-256 ${copy.sha256} (${copy.bytes} bytes)\n`);
    return ExitCode.ok;
  },
};
