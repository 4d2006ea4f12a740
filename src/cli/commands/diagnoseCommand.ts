import type { Command, JobResultView } from '../Command.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface Text { zh: string; en: string }
interface Check { id: string; status: 'ok' | 'warning' | 'fault' | 'not-run'; summary: Text; remedy?: Text; actor?: string }
interface Report { verdict: string; summary: Text; checks: Check[]; repeats?: Text[] }

const marks: Record<Check['status'], { zh: string; en: string }> = {
  ok: { zh: '正常', en: 'ok  ' }, warning: { zh: '注意', en: 'WARN' }, fault: { zh: '故障', en: 'FAIL' }, 'not-run': { zh: '未查', en: 'skip' },
};
const actors: Record<string, Text> = {
  operator: { zh: '收银员', en: 'operator' }, technician: { zh: '维修人员', en: 'technician' },
  'tax-office': { zh: '税务机关', en: 'tax office' }, factory: { zh: '厂家返修', en: 'factory repair' },
};

const diagnosticsView: JobResultView<Report> = {
  kind: 'diagnostics', resultKey: 'report',
  show(report, { language }) {
    const zh = language === 'zh-CN';
    const lines = [zh ? report.summary.zh : report.summary.en];
    for (const check of report.checks) {
      const mark = zh ? marks[check.status].zh : marks[check.status].en;
      lines.push(`  [${mark}] ${zh ? check.summary.zh : check.summary.en}${zh ? '' : `  (${check.id})`}`);
      if (check.remedy && (check.status === 'warning' || check.status === 'fault')) {
        const who = check.actor ? actors[check.actor] : undefined;
        const by = who ? (zh ? `（由${who.zh}处理）` : ` (${who.en})`) : '';
        lines.push(`         → ${zh ? check.remedy.zh : check.remedy.en}${by}`);
      }
    }
    for (const repeat of report.repeats ?? []) lines.push(`  [${zh ? '重复' : 'RPT '}] ${zh ? repeat.zh : repeat.en}`);
    return `${lines.join('\n')}\n`;
  },
};

export const diagnoseCommand: Command = {
  name: 'diagnose', summary: 'Run fault diagnostics on a register and explain the result in plain words', usage: 'diagnose ID',
  summaryZh: '对收款机做故障诊断，并用通俗的话说明结果',
  positionals: [{ name: 'ID', required: true }],
  help: 'Every check of the registry (link, identity, firmware, self-checks, clock, fiscal state, memory, deadlines, limits, rolls, cards)\n'
    + 'with its status, and for anything not ok the remedy and who can act. Only reads are sent.\n'
    + 'Exit code: 0 when the diagnostics ran (read the verdict), 4 if the register is busy, 5 if it cannot be reached.',
  helpZh: '逐项检查（联机、身份、固件、自检、时钟、税控状态、存储器、截止日期、限额、发票卷、税控卡和用户卡），不正常的项目给出处理办法和由谁处理。只发送读取命令。\n'
    + '退出码：0 诊断完成（请看结论），4 收款机忙，5 无法连接。',
  jobView: diagnosticsView,
  run: (ctx) => runDeviceJob<Report>(ctx, {
    path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/diagnostics`,
    label: { 'zh-CN': '诊断任务', en: 'Diagnostics job' }, ...diagnosticsView,
  }),
};
