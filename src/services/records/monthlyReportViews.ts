import { a4Page, escapeHtml, signatureLines } from './htmlPage.js';
import { actionLabels, resultLabels, type MonthlyReport } from './monthlyReport.js';

const resultOrder = ['succeeded', 'failed', 'cancelled', 'interrupted'] as const;

/** A spreadsheet cell; a leading = + - @ is neutralised. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The summary as CSV, Chinese headers, UTF-8 BOM and CRLF (opens as is in a spreadsheet). */
export function monthlyReportCsv(report: MonthlyReport): string {
  const lines = [['月份', '业务类别', '合计', ...resultOrder.map((r) => resultLabels[r])].join(',')];
  for (const row of report.byAction) {
    lines.push([report.month, row.zh, row.total, ...resultOrder.map((r) => row.results[r] ?? 0)].map(cell).join(','));
  }
  lines.push([report.month, '重复故障', report.repeats].map(cell).join(','));
  const f = report.followUps;
  lines.push([report.month, '应回访', f.due, `按时 ${f.keptOnTime}`, `逾期 ${f.late}`, `未回访 ${f.missing}`].map(cell).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The printable page a service unit hands to the tax authority by the 10th. */
export function monthlyReportPage(report: MonthlyReport, unit = ''): string {
  const [year, month] = report.month.split('-');
  const rows = report.byAction.map((row) => `<tr><td>${escapeHtml(row.zh)}</td><td>${row.total}</td>${resultOrder.map((r) => `<td>${row.results[r] ?? 0}</td>`).join('')}</tr>`).join('');
  const f = report.followUps;
  const body = `<p>服务单位：${escapeHtml(unit)}　　报告期：${year}年${Number(month)}月　　服务收款机：${report.totals.registers} 台　　业务合计：${report.totals.operations} 次</p>
<table><tr><th>业务类别</th><th>合计</th>${resultOrder.map((r) => `<th>${resultLabels[r]}</th>`).join('')}</tr>${rows || '<tr><td colspan="6">本月无业务</td></tr>'}</table>
<table><tr><th>重复故障（六个月内再次出现）</th><td>${report.repeats} 次</td></tr>
<tr><th>维修、升级、初始化、注销后应回访</th><td>${f.due} 次：按时回访 ${f.keptOnTime} 次，逾期回访 ${f.late} 次，未回访 ${f.missing} 次</td></tr></table>
<p class="note">业务类别：${Object.values(actionLabels).map((l) => l.zh).filter((v, i, a) => a.indexOf(v) === i).join('、')}。本表由税控收款机服务网关按服务记录生成，服务凭证保存五年。</p>
${signatureLines('服务单位负责人', '税务机关接收人')}`;
  return a4Page(`${year}年${Number(month)}月税控收款机服务情况报告`, body);
}
