import type { ServiceRecord } from '../../store/types.js';

const columns = ['id', 'at', 'operator', 'deviceId', 'machineNumber', 'action', 'result', 'errorCode', 'jobId', 'params', 'before', 'after'] as const;

/** One RFC 4180 cell; a leading = + - @ is neutralised so a spreadsheet never runs it as a formula. */
function cell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Service records as CSV with a UTF-8 BOM (so spreadsheets show Chinese names), CRLF line ends. */
export function recordsCsv(records: readonly ServiceRecord[]): string {
  const lines = [columns.join(',')];
  for (const record of records) lines.push(columns.map((column) => cell(record[column])).join(','));
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
