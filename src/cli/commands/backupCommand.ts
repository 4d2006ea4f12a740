import type { Command, JobResultView } from '../Command.js';
import { backupCheckLabel, backupKindLabel } from '../output/backupKinds.js';
import { renderTable } from '../output/table.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface BackupProblemView { check: string; kind: string; seq?: number; message: string }
interface SkippedCheckView { check: string; kind: string; command?: string; reason: string }
interface BackupResultView { backupId: string; counts: Record<string, number>; problemCount: number; problems: BackupProblemView[]; skipped?: SkippedCheckView[] }

const backupView: JobResultView<BackupResultView> = {
  kind: 'backup', resultKey: 'backup',
  show(result, { language }) {
    const zh = language === 'zh-CN';
    const lines = [zh ? `备份 ${result.backupId} 已完成并校验` : `Backup ${result.backupId} made and verified`];
    lines.push(renderTable(zh ? ['数据', '条数'] : ['Kind', 'Count'], Object.entries(result.counts).map(([kind, n]) => [backupKindLabel(kind, language), n])).trimEnd());
    if (result.problemCount > 0) {
      lines.push(zh ? `发现 ${result.problemCount} 个问题（已记入备份清单）：` : `${result.problemCount} problem(s) found (named in the manifest):`);
      // The problem's own words are English (the manifest's); zh says which check, which data and which record.
      lines.push((zh
        ? renderTable(['检查', '数据', '记录'], result.problems.map((p) => [backupCheckLabel(p.check, language), backupKindLabel(p.kind, language), p.seq === undefined ? '' : `第 ${p.seq} 条`]))
        : renderTable(['Check', 'Kind', 'Problem'], result.problems.map((p) => [p.check, p.kind, p.message]))).trimEnd());
    }
    const skipped = result.skipped ?? [];
    if (skipped.length > 0) {
      lines.push(zh
        ? `有 ${skipped.length} 项检查无法进行（收款机不提供所需命令，已记入备份清单）：`
        : `${skipped.length} check(s) could not be made (the register does not offer the command; named in the manifest):`);
      lines.push((zh
        ? renderTable(['数据', '缺少的命令', '检查'], skipped.map((s) => [backupKindLabel(s.kind, language), s.command ?? '', s.check === 'read' ? '未读取' : '无法核对条数']))
        : renderTable(['Kind', 'Command', 'Why'], skipped.map((s) => [s.kind, s.command ?? '', s.reason]))).trimEnd());
    }
    return `${lines.join('\n')}\n`;
  },
};

export const backupCommand: Command = {
  name: 'backup', summary: 'Back up everything a register and its slot cards hold (数据备份), verified', usage: 'backup ID',
  positionals: [{ name: 'ID', required: true }],
  help: 'Prints the backup id, the counts per kind and every completeness problem found. Exit 0 when the backup was made and verified.',
  jobView: backupView,
  run: (ctx) => runDeviceJob<BackupResultView>(ctx, {
    path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/backups`,
    label: { 'zh-CN': '备份任务', en: 'Backup job' }, ...backupView,
  }),
};
