import { stat } from 'node:fs/promises';
import { ExitCode, GatewayError } from '../../../contracts/errors/index.js';
import { verifyBackupArchive } from '../../services/backup/BackupArchive.js';
import { backupKindLabel } from '../output/backupKinds.js';
import type { Command } from '../Command.js';
import { cliText } from '../cliText.js';

interface Failure { file: string; reason: string; detail: string }

/** judgeBackup's failure reasons (src/services/backup/judgeBackup.ts) in words. */
const failureZh: Readonly<Record<string, string>> = {
  missing: '缺失', size: '大小不符', hash: '摘要不符', unlisted: '清单中没有此文件', invalid: '内容无效',
};

/** Why verifyBackupAgainstDevice did not compare, in words. */
function notComparedZh(reason: string): string {
  if (reason === 'backup has no readable manifest') return '备份没有可读的清单';
  if (reason === 'register not connected') return '收款机未连接';
  const busy = /^register busy with job (\S+)$/.exec(reason);
  return busy ? `收款机正忙（任务 ${busy[1]}）` : '无法比对';
}

async function isFile(path: string): Promise<boolean> {
  return stat(path).then((s) => s.isFile(), () => false);
}

/** A backup id never holds a slash nor ends in .tar: such an argument is a file, checked here or said missing. */
function looksLikePath(target: string): boolean {
  return /[\\/]/.test(target) || /\.(tar|tgz|tar\.gz)$/i.test(target);
}

export const verifyBackupCommand: Command = {
  name: 'verify-backup', summary: 'Verify a backup kept by the daemon (re-hash, compare with the register) or a backup archive file', usage: 'verify-backup BACKUP|FILE.tar',
  positionals: [{ name: 'BACKUP', required: true }],
  help: 'A path (holding a / or ending in .tar) is checked here, without the daemon; a missing file is said so (NOT_FOUND, exit 1).\n'
    + 'Exit 0 when every file verifies, 3 when any does not.',
  async run(ctx) {
    const target = ctx.positionals[0]!;
    const zh = ctx.language === 'zh-CN';
    let ok: boolean;
    let failures: Failure[];
    let output: Record<string, unknown>;
    if (!(await isFile(target)) && looksLikePath(target)) {
      throw new GatewayError('NOT_FOUND', { params: { detail: cliText(ctx.language, 'fileMissing', { file: target }) } });
    }
    if (await isFile(target)) {
      const report = await verifyBackupArchive(target);
      ok = report.ok;
      failures = [...report.failures];
      output = { archive: target, folder: report.folder, backupId: report.manifest?.id, ok, failures };
    } else {
      const report = await ctx.client.post<{ id: string; ok: boolean; failures: Failure[]; device: Record<string, unknown> }>(
        `/v1/backups/${encodeURIComponent(target)}/verify`, {});
      ok = report.ok;
      failures = report.failures;
      output = report;
    }
    if (ctx.json) {
      ctx.printJson(output);
      return ok ? ExitCode.ok : ExitCode.refused;
    }
    const lines = [ok ? (zh ? `${target}：全部文件校验通过` : `${target}: every file verifies`) : (zh ? `${target}：校验失败` : `${target}: verification FAILED`)];
    // The detail is the verifier's English; zh names the file and what is wrong with it.
    for (const f of failures) lines.push(zh ? `  ${f.file}：${failureZh[f.reason] ?? '校验不通过'}` : `  ${f.file}: ${f.reason} (${f.detail})`);
    const device = output.device as { compared?: boolean; matches?: boolean; reason?: string; differences?: { kind: string; inBackup: number; onDevice: number }[] } | undefined;
    if (device?.compared) {
      lines.push(device.matches ? (zh ? '  与收款机现有数据一致' : '  matches the register') : (zh ? '  与收款机现有数据不同：' : '  differs from the register:'));
      for (const d of device.differences ?? []) {
        lines.push(zh ? `    ${backupKindLabel(d.kind, ctx.language)}：备份中 ${d.inBackup}，收款机上 ${d.onDevice}` : `    ${d.kind}: ${d.inBackup} / ${d.onDevice}`);
      }
    } else if (device?.reason && device.reason !== 'not asked') {
      lines.push(zh ? `  未与收款机比对：${notComparedZh(device.reason)}` : `  not compared with the register: ${device.reason}`);
    }
    ctx.print(`${lines.join('\n')}\n`);
    return ok ? ExitCode.ok : ExitCode.refused;
  },
};
