import type { ServiceRecordView } from '../types.js';
import { actionLabel } from './actionLabels.js';
import { displayTime } from './displayTime.js';
import { stateLabel } from './stateLabels.js';

/** One RFC 4180 cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function cell(value: string | number | null | undefined): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const headers = {
  'zh-CN': ['记录号', '时间', '机器编号', '设备', '操作', '结果', '错误代码', '操作员', '任务'],
  en: ['record', 'time', 'machine number', 'device', 'action', 'result', 'error code', 'operator', 'job'],
} as const;

/**
 * Service records as a spreadsheet reads them: headers and action and result names in the chosen language, times
 * in the register's zone to the second, one value per cell (no JSON); a UTF-8 BOM so spreadsheets show Chinese,
 * CRLF line ends. What a record changed (before, after, parameters) is in `--format json`.
 */
export function recordsCsv(records: readonly ServiceRecordView[], language: 'zh-CN' | 'en'): string {
  const lines = [headers[language].map(cell).join(',')];
  for (const r of records) {
    lines.push([r.id, displayTime(r.at, 'seconds'), r.machineNumber, r.deviceId, actionLabel(r.action, language), stateLabel(r.result, language),
      r.errorCode, r.operator, r.jobId].map(cell).join(','));
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
