import type { Command } from '../Command.js';
import { runDeviceJob } from '../runDeviceJob.js';

interface Finding { check: string; severity: string; zh: string; en: string; remedyZh?: string; remedyEn?: string }
interface Report { verdict: string; summary: { zh: string; en: string }; findings: Finding[] }

const marks: Record<string, string> = { ok: 'ok  ', info: 'info', warning: 'WARN', fault: 'FAIL' };

export const diagnoseCommand: Command = {
  name: 'diagnose', summary: 'Run fault diagnostics on a register and explain the result in plain words', usage: 'diagnose ID',
  positionals: [{ name: 'ID', required: true }],
  help: 'Exit code: 0 when the diagnostics ran (read the verdict), 4 if the register is busy, 5 if it cannot be reached.',
  run: (ctx) => runDeviceJob<Report>(ctx, {
    path: `/v1/devices/${encodeURIComponent(ctx.positionals[0]!)}/diagnostics`,
    label: { 'zh-CN': '诊断任务', en: 'Diagnostics job' }, resultKey: 'report',
    show(report, { language }) {
      const zh = language === 'zh-CN';
      const lines = [zh ? report.summary.zh : report.summary.en];
      for (const f of report.findings) {
        lines.push(`  [${marks[f.severity] ?? f.severity}] ${zh ? f.zh : f.en}`);
        const remedy = zh ? f.remedyZh : f.remedyEn;
        if (remedy && f.severity !== 'ok') lines.push(`         → ${remedy}`);
      }
      return `${lines.join('\n')}\n`;
    },
  }),
};
